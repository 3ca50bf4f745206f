// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Every role in the protocol, in one place. DEFAULT_ADMIN_ROLE (0x00) grants and revokes them.
library Roles {
    /// @dev Adds and removes attesters and sets the signature threshold (AttestationLedger).
    bytes32 internal constant ATTESTER_MANAGER = keccak256("juapesa.role.attester-manager");
    /// @dev Pauses and unpauses tokens, pools and the vault.
    bytes32 internal constant PAUSER = keccak256("juapesa.role.pauser");
    /// @dev Resets tripped oracle breakers.
    bytes32 internal constant GUARDIAN = keccak256("juapesa.role.guardian");
    /// @dev Calls `rebalance` on pools.
    bytes32 internal constant KEEPER = keccak256("juapesa.role.keeper");
    /// @dev The USSD bridge: acts for vault accounts.
    bytes32 internal constant OPERATOR = keccak256("juapesa.role.operator");
    /// @dev Freezes accounts, sets KYC tiers, relinks self-custody addresses.
    bytes32 internal constant COMPLIANCE = keccak256("juapesa.role.compliance");
}
