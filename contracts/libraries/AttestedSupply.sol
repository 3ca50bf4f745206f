// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttestationLedger, SupplyChange, SupplyChangeKind} from "../interfaces/IAttestationLedger.sol";
import {IAttestedToken} from "../interfaces/IAttestedToken.sol";

/// @notice The rules every attested minter applies before it changes supply (AttestedToken, HtsIssuer):
/// the statement's kind and asset, who may submit it, its consumption by the ledger, and supply within the
/// fresh reserve. Errors are IAttestedToken's, so each minter reverts alike.
/// @dev Internal functions run in the calling contract, so `address(this)` is the minter and
/// `msg.sender` its caller.
library AttestedSupply {
    /// @param supply The token's total supply before this mint.
    function consumeMint(
        IAttestationLedger ledger,
        SupplyChange calldata change,
        bytes calldata signatures,
        uint256 supply
    ) internal returns (bytes32 statementId) {
        _checkStatement(change, SupplyChangeKind.Mint);
        // A vault sub-account credit must be booked by the vault in the same call, so only it may submit.
        if (change.account != bytes32(0) && msg.sender != change.holder) {
            revert IAttestedToken.CallerNotHolder(msg.sender, change.holder);
        }
        uint256 reserve;
        (statementId, reserve) = ledger.consumeSupplyChange(change, signatures);
        uint256 supplyAfter = supply + change.amount;
        if (supplyAfter > reserve) revert IAttestedToken.SupplyExceedsReserve(supplyAfter, reserve);
    }

    function consumeBurn(IAttestationLedger ledger, SupplyChange calldata change, bytes calldata signatures)
        internal
        returns (bytes32 statementId)
    {
        _checkStatement(change, SupplyChangeKind.Burn);
        if (msg.sender != change.holder) revert IAttestedToken.CallerNotHolder(msg.sender, change.holder);
        (statementId,) = ledger.consumeSupplyChange(change, signatures);
    }

    function _checkStatement(SupplyChange calldata change, SupplyChangeKind kind) private view {
        if (change.kind != kind) revert IAttestedToken.WrongStatementKind();
        // The ledger lets only `change.asset` consume a statement, so the asset id is the minter's address.
        if (change.asset != address(this)) revert IAttestedToken.WrongStatementAsset(change.asset);
    }
}
