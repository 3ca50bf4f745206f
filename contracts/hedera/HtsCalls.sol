// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HederaResponseCodes} from "./HederaResponseCodes.sol";
import {IHederaTokenService} from "./IHederaTokenService.sol";

/// @notice Calls to Hedera's token service at 0x167 that revert unless the network answers SUCCESS.
library HtsCalls {
    address internal constant HTS = address(0x167);

    /// @notice The token service answered `responseCode` (a Hedera response code; 21 UNKNOWN when the
    /// call itself reverted) to the call with `selector`.
    error HtsCallFailed(bytes4 selector, int64 responseCode);

    /// @dev Mints to the token's treasury; the caller must hold the supply key.
    function mintToken(address token, int64 amount) internal {
        bytes4 selector = IHederaTokenService.mintToken.selector;
        _require(selector, invoke(abi.encodeWithSelector(selector, token, amount, new bytes[](0))));
    }

    /// @dev Burns from the token's treasury; the caller must hold the supply key.
    function burnToken(address token, int64 amount) internal {
        bytes4 selector = IHederaTokenService.burnToken.selector;
        _require(selector, invoke(abi.encodeWithSelector(selector, token, amount, new int64[](0))));
    }

    /// @return responseCode The first return value of every token service call.
    function invoke(bytes memory data) internal returns (int64 responseCode) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory result) = HTS.call(data);
        // As Hedera's own HederaTokenService.sol does: a call that reverts, or finds no system contract
        // (a chain without HTS), reads as UNKNOWN.
        return ok && result.length >= 32 ? abi.decode(result, (int64)) : int64(HederaResponseCodes.UNKNOWN);
    }

    function _require(bytes4 selector, int64 responseCode) private pure {
        if (responseCode != HederaResponseCodes.SUCCESS) revert HtsCallFailed(selector, responseCode);
    }
}
