// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IAttestationLedger, SupplyChange} from "../interfaces/IAttestationLedger.sol";
import {IAttestedToken} from "../interfaces/IAttestedToken.sol";
import {IHtsIssuer} from "../interfaces/IHtsIssuer.sol";
import {AttestedSupply} from "../libraries/AttestedSupply.sol";
import {Roles} from "../libraries/Roles.sol";
import {HtsCalls} from "./HtsCalls.sol";

/// @title HtsIssuer
/// @notice See {IHtsIssuer}. No role can mint or burn: only statements the ledger accepts can.
contract HtsIssuer is IHtsIssuer, AccessControl, Pausable {
    using SafeERC20 for IERC20;

    IAttestationLedger private immutable _ledger;
    /// @inheritdoc IHtsIssuer
    address public token;

    constructor(IAttestationLedger ledger_, address admin) {
        if (address(ledger_) == address(0) || admin == address(0)) revert ZeroAddress();
        _ledger = ledger_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(Roles.PAUSER, admin);
    }

    /// @inheritdoc IHtsIssuer
    function setToken(address token_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token_ == address(0)) revert ZeroAddress();
        if (token != address(0)) revert TokenAlreadySet(token);
        token = token_;
        emit TokenSet(token_);
    }

    /// @inheritdoc IAttestedToken
    function mint(SupplyChange calldata change, bytes calldata signatures)
        external
        whenNotPaused
        returns (bytes32 statementId)
    {
        IERC20 hts = _token();
        statementId = AttestedSupply.consumeMint(_ledger, change, signatures, hts.totalSupply());
        uint256 amount = change.amount;
        // Minted tokens land in the treasury, whoever that is; only a rise in our own balance shows that we
        // are it (Stablecoin Studio's cash-in checks the same way).
        uint256 expected = hts.balanceOf(address(this)) + amount;
        HtsCalls.mintToken(address(hts), _toInt64(amount));
        uint256 balance = hts.balanceOf(address(this));
        if (balance != expected) revert IssuerNotTreasury(expected, balance);
        hts.safeTransfer(change.holder, amount);
        emit AttestedMint(statementId, change.holder, change.account, amount);
    }

    /// @inheritdoc IAttestedToken
    function burn(SupplyChange calldata change, bytes calldata signatures)
        external
        whenNotPaused
        returns (bytes32 statementId)
    {
        IERC20 hts = _token();
        statementId = AttestedSupply.consumeBurn(_ledger, change, signatures);
        uint256 amount = change.amount;
        int64 htsAmount = _toInt64(amount);
        // HTS burns only from the treasury, so the holder's tokens come here first.
        hts.safeTransferFrom(change.holder, address(this), amount);
        HtsCalls.burnToken(address(hts), htsAmount);
        emit AttestedBurn(statementId, change.holder, change.account, amount);
    }

    function pause() external onlyRole(Roles.PAUSER) {
        _pause();
    }

    function unpause() external onlyRole(Roles.PAUSER) {
        _unpause();
    }

    /// @inheritdoc IAttestedToken
    function ledger() external view returns (IAttestationLedger) {
        return _ledger;
    }

    /// @inheritdoc IHtsIssuer
    function totalSupply() external view returns (uint256) {
        address token_ = token;
        return token_ == address(0) ? 0 : IERC20(token_).totalSupply();
    }

    function _token() private view returns (IERC20) {
        address token_ = token;
        if (token_ == address(0)) revert TokenNotSet();
        return IERC20(token_);
    }

    function _toInt64(uint256 amount) private pure returns (int64) {
        if (amount > uint64(type(int64).max)) revert AmountExceedsHtsLimit(amount);
        return int64(uint64(amount));
    }
}
