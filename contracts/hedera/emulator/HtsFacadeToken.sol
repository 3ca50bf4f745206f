// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

import {HederaResponseCodes} from "../HederaResponseCodes.sol";
import {IHRC719} from "../IHederaTokenService.sol";

/// @title Emulated ERC-20 facade of an HTS fungible token (HIP-218), with HIP-719 association
/// @notice Created by HederaTokenServiceEmulator, which alone mints, burns and associates through it.
/// Balances live here. As on Hedera, an account must be associated with the token to send or receive
/// it (the treasury is from creation), ERC-20 amounts must fit an int64, and a failed transfer or
/// approval reverts, here with the Hedera response code the network would report.
/// @dev Not emulated: freeze, KYC, pause, custom fees, expiry, dissociation by an expired token.
contract HtsFacadeToken is ERC20, IHRC719 {
    address public immutable treasury;
    address private immutable _hts;
    uint8 private immutable _decimals;

    mapping(address account => bool) private _associated;

    error CallerNotHts(address caller);
    /// @notice The network refused the call with this Hedera response code.
    error HtsFailure(int64 responseCode);
    /// @notice HTS amounts are int64; the network refuses larger ERC-20 amounts.
    error AmountNotInt64(uint256 amount);

    modifier onlyHts() {
        if (msg.sender != _hts) revert CallerNotHts(msg.sender);
        _;
    }

    constructor(string memory name_, string memory symbol_, uint8 decimals_, address treasury_, uint256 initialSupply)
        ERC20(name_, symbol_)
    {
        _hts = msg.sender;
        _decimals = decimals_;
        treasury = treasury_;
        _associated[treasury_] = true;
        if (initialSupply != 0) _mint(treasury_, initialSupply);
    }

    // ---------------------------------------------------------------- the token service's hooks

    function mintToTreasury(uint256 amount) external onlyHts returns (uint256 newTotalSupply) {
        _mint(treasury, amount);
        return totalSupply();
    }

    function burnFromTreasury(uint256 amount) external onlyHts returns (uint256 newTotalSupply) {
        _burn(treasury, amount);
        return totalSupply();
    }

    /// @return added False when `account` was already associated.
    function associateAccount(address account) external onlyHts returns (bool added) {
        if (_associated[account]) return false;
        _associated[account] = true;
        return true;
    }

    // ---------------------------------------------------------------- HIP-719

    function associate() external returns (uint256 responseCode) {
        if (_associated[msg.sender]) return _code(HederaResponseCodes.TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT);
        _associated[msg.sender] = true;
        return _code(HederaResponseCodes.SUCCESS);
    }

    function dissociate() external returns (uint256 responseCode) {
        if (!_associated[msg.sender]) return _code(HederaResponseCodes.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT);
        if (msg.sender == treasury) return _code(HederaResponseCodes.ACCOUNT_IS_TREASURY);
        if (balanceOf(msg.sender) != 0) return _code(HederaResponseCodes.TRANSACTION_REQUIRES_ZERO_TOKEN_BALANCES);
        _associated[msg.sender] = false;
        return _code(HederaResponseCodes.SUCCESS);
    }

    function isAssociated() external view returns (bool) {
        return _associated[msg.sender];
    }

    /// @notice Emulator-only view (HIP-719's isAssociated answers for msg.sender alone).
    function isAssociatedWith(address account) external view returns (bool) {
        return _associated[account];
    }

    // ---------------------------------------------------------------- ERC-20

    function approve(address spender, uint256 value) public override returns (bool) {
        _requireInt64(value);
        _requireAssociated(msg.sender);
        return super.approve(spender, value);
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function _update(address from, address to, uint256 value) internal override {
        _requireInt64(value);
        if (from != address(0)) {
            _requireAssociated(from);
            if (balanceOf(from) < value) revert HtsFailure(HederaResponseCodes.INSUFFICIENT_TOKEN_BALANCE);
        }
        if (to != address(0)) _requireAssociated(to);
        super._update(from, to, value);
    }

    function _spendAllowance(address owner, address spender, uint256 value) internal override {
        uint256 allowed = allowance(owner, spender);
        if (allowed < value) {
            revert HtsFailure(
                allowed == 0
                    ? HederaResponseCodes.SPENDER_DOES_NOT_HAVE_ALLOWANCE
                    : HederaResponseCodes.AMOUNT_EXCEEDS_ALLOWANCE
            );
        }
        super._spendAllowance(owner, spender, value);
    }

    function _requireAssociated(address account) private view {
        if (!_associated[account]) revert HtsFailure(HederaResponseCodes.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT);
    }

    function _requireInt64(uint256 value) private pure {
        if (value > uint64(type(int64).max)) revert AmountNotInt64(value);
    }

    function _code(int32 responseCode) private pure returns (uint256) {
        return uint256(uint32(responseCode));
    }
}
