// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SupplyChange, IAttestationLedger} from "./IAttestationLedger.sol";

/// @title A token whose every mint and burn is an attested statement
/// @notice ERC-20 with EIP-2612 permit. Supply after a mint never exceeds the latest fresh reserve
/// attested in the ledger. Pausable (transfers, mints and burns) by the pauser role.
interface IAttestedToken {
    event AttestedMint(bytes32 indexed statementId, address indexed holder, bytes32 indexed account, uint256 amount);
    event AttestedBurn(bytes32 indexed statementId, address indexed holder, bytes32 indexed account, uint256 amount);

    error WrongStatementKind();
    error WrongStatementAsset(address asset);
    error CallerNotHolder(address caller, address holder);
    error SupplyExceedsReserve(uint256 supplyAfter, uint256 reserve);

    /// @notice Mints `change.amount` to `change.holder`. When `change.account` is set (a vault
    /// sub-account), only the holder may submit, so the holder can book the credit in the same call.
    function mint(SupplyChange calldata change, bytes calldata signatures) external returns (bytes32 statementId);

    /// @notice Burns `change.amount` from `change.holder`; only the holder may submit.
    function burn(SupplyChange calldata change, bytes calldata signatures) external returns (bytes32 statementId);

    function ledger() external view returns (IAttestationLedger);
}
