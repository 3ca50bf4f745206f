// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Pausable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Pausable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

import {IAttestationLedger, SupplyChange, SupplyChangeKind} from "./interfaces/IAttestationLedger.sol";
import {IAttestedToken} from "./interfaces/IAttestedToken.sol";
import {Roles} from "./libraries/Roles.sol";

/// @title AttestedToken
/// @notice See {IAttestedToken}. No role can mint or burn: only statements the ledger accepts can.
contract AttestedToken is IAttestedToken, ERC20Permit, ERC20Pausable, AccessControl {
    IAttestationLedger private immutable _ledger;
    uint8 private immutable _decimals;

    constructor(string memory name_, string memory symbol_, uint8 decimals_, IAttestationLedger ledger_, address admin)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
    {
        _ledger = ledger_;
        _decimals = decimals_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(Roles.PAUSER, admin);
    }

    /// @inheritdoc IAttestedToken
    function mint(SupplyChange calldata change, bytes calldata signatures) external returns (bytes32 statementId) {
        _checkStatement(change, SupplyChangeKind.Mint);
        // A vault sub-account credit must be booked by the vault in the same call, so only it may submit.
        if (change.account != bytes32(0) && msg.sender != change.holder) {
            revert CallerNotHolder(msg.sender, change.holder);
        }
        uint256 reserve;
        (statementId, reserve) = _ledger.consumeSupplyChange(change, signatures);
        uint256 supplyAfter = totalSupply() + change.amount;
        if (supplyAfter > reserve) revert SupplyExceedsReserve(supplyAfter, reserve);
        _mint(change.holder, change.amount);
        emit AttestedMint(statementId, change.holder, change.account, change.amount);
    }

    /// @inheritdoc IAttestedToken
    function burn(SupplyChange calldata change, bytes calldata signatures) external returns (bytes32 statementId) {
        _checkStatement(change, SupplyChangeKind.Burn);
        if (msg.sender != change.holder) revert CallerNotHolder(msg.sender, change.holder);
        (statementId,) = _ledger.consumeSupplyChange(change, signatures);
        _burn(change.holder, change.amount);
        emit AttestedBurn(statementId, change.holder, change.account, change.amount);
    }

    function pause() external onlyRole(Roles.PAUSER) {
        _pause();
    }

    function unpause() external onlyRole(Roles.PAUSER) {
        _unpause();
    }

    function ledger() external view returns (IAttestationLedger) {
        return _ledger;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function _checkStatement(SupplyChange calldata change, SupplyChangeKind kind) internal view {
        if (change.kind != kind) revert WrongStatementKind();
        if (change.asset != address(this)) revert WrongStatementAsset(change.asset);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Pausable) {
        super._update(from, to, value);
    }
}
