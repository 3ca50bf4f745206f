// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Pausable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Pausable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

import {IAttestationLedger, SupplyChange} from "./interfaces/IAttestationLedger.sol";
import {IAttestedToken} from "./interfaces/IAttestedToken.sol";
import {AttestedSupply} from "./libraries/AttestedSupply.sol";
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
        statementId = AttestedSupply.consumeMint(_ledger, change, signatures, totalSupply());
        _mint(change.holder, change.amount);
        emit AttestedMint(statementId, change.holder, change.account, change.amount);
    }

    /// @inheritdoc IAttestedToken
    function burn(SupplyChange calldata change, bytes calldata signatures) external returns (bytes32 statementId) {
        statementId = AttestedSupply.consumeBurn(_ledger, change, signatures);
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

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Pausable) {
        super._update(from, to, value);
    }
}
