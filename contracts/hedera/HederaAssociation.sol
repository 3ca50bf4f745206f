// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HederaResponseCodes} from "./HederaResponseCodes.sol";
import {HtsCalls} from "./HtsCalls.sol";
import {IHederaTokenService} from "./IHederaTokenService.sol";

/// @notice Lets a protocol contract associate itself with an HTS token, which a Hedera account must do
/// before it can receive the token. A token's treasury is associated by the network when the token is
/// created, so an HtsIssuer (its token's treasury) never needs this.
library HederaAssociation {
    /// @dev Already associated counts as success, so associating is idempotent.
    function associate(address token) internal {
        bytes4 selector = IHederaTokenService.associateToken.selector;
        int64 responseCode = HtsCalls.invoke(abi.encodeWithSelector(selector, address(this), token));
        if (
            responseCode != HederaResponseCodes.SUCCESS
                && responseCode != HederaResponseCodes.TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT
        ) revert HtsCalls.HtsCallFailed(selector, responseCode);
    }
}
