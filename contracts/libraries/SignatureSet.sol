// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice Reads a concatenation of 65-byte (r, s, v) signatures, the layout Circle's CCTP attesters use.
library SignatureSet {
    uint256 internal constant SIGNATURE_LENGTH = 65;

    function count(bytes calldata signatures) internal pure returns (uint256) {
        return signatures.length / SIGNATURE_LENGTH;
    }

    function isWellFormed(bytes calldata signatures) internal pure returns (bool) {
        return signatures.length != 0 && signatures.length % SIGNATURE_LENGTH == 0;
    }

    /// @dev Recovers the signer of the i-th signature; OpenZeppelin's ECDSA refuses malleable (high-s) forms.
    function signerAt(bytes calldata signatures, uint256 i, bytes32 digest) internal pure returns (address) {
        return ECDSA.recover(digest, signatures[i * SIGNATURE_LENGTH:(i + 1) * SIGNATURE_LENGTH]);
    }
}
