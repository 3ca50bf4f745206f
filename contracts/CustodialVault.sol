// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ICustodialVault, AccountInfo, TierLimits} from "./interfaces/ICustodialVault.sol";
import {SupplyChange, SupplyChangeKind} from "./interfaces/IAttestationLedger.sol";
import {IAttestedToken} from "./interfaces/IAttestedToken.sol";
import {IHtsIssuer} from "./interfaces/IHtsIssuer.sol";
import {IRouter} from "./interfaces/IRouter.sol";
import {Roles} from "./libraries/Roles.sol";
import {HederaAssociation} from "./hedera/HederaAssociation.sol";

/// @title CustodialVault
/// @notice See {ICustodialVault}. An account's balance and outflow window for one asset share one
/// storage slot, its tier, freeze flag and linked address another, and a tier's limits for one asset a
/// third, so a transfer reads two account slots, two position slots and one or two limit slots.
contract CustodialVault is ICustodialVault, AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev One account's holding of one asset. A balance only grows within a `maxBalance` and outflow only
    /// within a `maxDailyOutflow`, both uint80, so the narrow types cannot overflow.
    struct Position {
        uint128 balance;
        uint88 outflow; // counted since windowStart
        uint40 windowStart;
    }

    uint256 public constant MAX_ASSETS = 8;
    uint8 public constant MAX_TIER = 3;
    uint256 private constant WINDOW = 1 days;
    /// @dev HTS keeps allowances as int64 and refuses larger ERC-20 approvals (the network decodes the amount
    /// with Java's longValueExact), so an HTS asset's "unlimited" allowance is this.
    uint256 private constant MAX_HTS_ALLOWANCE = uint64(type(int64).max);

    error TooManyAssets(uint256 max);

    /// @inheritdoc ICustodialVault
    address public immutable router;

    mapping(bytes32 account => AccountInfo) private _accounts;
    mapping(bytes32 account => mapping(address asset => Position)) private _positions;
    mapping(uint8 tier => mapping(address asset => TierLimits)) private _limits;
    /// @inheritdoc ICustodialVault
    mapping(address asset => uint256) public totalBalance;
    /// @dev Unordered operation ids: bit `opId & 255` of word `opId >> 8` is set once `opId` executed.
    mapping(uint256 word => uint256 bits) private _operations;
    mapping(address asset => bool) private _supported;
    mapping(address issuer => address asset) private _issuedAsset;
    address[] private _assets;

    constructor(address admin, address router_) {
        if (admin == address(0) || router_ == address(0)) revert ZeroAddress();
        router = router_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------- operator

    /// @inheritdoc ICustodialVault
    function openAccount(bytes32 account, uint8 tier) external onlyRole(Roles.OPERATOR) whenNotPaused {
        if (account == bytes32(0)) revert ZeroAccount();
        _requireValidTier(tier);
        if (_accounts[account].tier != 0) revert AccountExists(account);
        _accounts[account].tier = tier;
        emit AccountOpened(account, tier);
    }

    /// @inheritdoc ICustodialVault
    function transfer(uint256 opId, bytes32 from, bytes32 to, address asset, uint256 amount)
        external
        onlyRole(Roles.OPERATOR)
        whenNotPaused
    {
        _useOperation(opId);
        if (from == to) revert SelfTransfer();
        _takeOut(from, asset, amount);
        _putIn(to, asset, amount);
        emit Transferred(opId, from, to, asset, amount);
    }

    /// @inheritdoc ICustodialVault
    function convert(
        uint256 opId,
        bytes32 account,
        address[] calldata tokens,
        address[] calldata pools,
        uint256 amountIn,
        uint256 minAmountOut,
        uint256 deadline
    ) external onlyRole(Roles.OPERATOR) whenNotPaused nonReentrant returns (uint256 amountOut) {
        _useOperation(opId);
        if (tokens.length < 2 || pools.length != tokens.length - 1) revert InvalidPath();
        address assetIn = tokens[0];
        address assetOut = tokens[tokens.length - 1];
        // A round trip would also move the measured output balance by the input the router pulls.
        if (assetIn == assetOut) revert InvalidPath();
        _requireSupported(assetOut);
        _takeOut(account, assetIn, amountIn);
        totalBalance[assetIn] -= amountIn;

        // Book what actually arrived rather than what the router reports, so the vault's holdings
        // can never fall below the balances it books.
        uint256 before = IERC20(assetOut).balanceOf(address(this));
        IRouter(router).swap(tokens, pools, amountIn, minAmountOut, address(this), deadline);
        amountOut = IERC20(assetOut).balanceOf(address(this)) - before;
        _putIn(account, assetOut, amountOut);
        totalBalance[assetOut] += amountOut;
        emit Converted(opId, account, assetIn, amountIn, assetOut, amountOut);
    }

    /// @inheritdoc ICustodialVault
    function credit(uint256 opId, bytes32 account, SupplyChange calldata change, bytes calldata signatures)
        external
        onlyRole(Roles.OPERATOR)
        whenNotPaused
        nonReentrant
    {
        _useOperation(opId);
        _requireStatementFor(change, SupplyChangeKind.Mint, account);
        uint256 amount = change.amount;
        if (amount == 0) revert ZeroAmount();
        address asset = _assetOf(change.asset);
        _putIn(account, asset, amount);
        totalBalance[asset] += amount;
        // The minter verifies the statement through the ledger and sends the minted asset to this vault; a
        // failed verification reverts the booking above with it.
        IAttestedToken(change.asset).mint(change, signatures);
        emit Credited(opId, account, asset, amount, change.ref);
    }

    /// @inheritdoc ICustodialVault
    function debit(uint256 opId, bytes32 account, SupplyChange calldata change, bytes calldata signatures)
        external
        onlyRole(Roles.OPERATOR)
        whenNotPaused
        nonReentrant
    {
        _useOperation(opId);
        _requireStatementFor(change, SupplyChangeKind.Burn, account);
        uint256 amount = change.amount;
        address asset = _assetOf(change.asset);
        _takeOut(account, asset, amount);
        totalBalance[asset] -= amount;
        IAttestedToken(change.asset).burn(change, signatures);
        emit Debited(opId, account, asset, amount, change.ref);
    }

    /// @inheritdoc ICustodialVault
    function withdraw(uint256 opId, bytes32 account, address asset, uint256 amount)
        external
        onlyRole(Roles.OPERATOR)
        whenNotPaused
        nonReentrant
    {
        _useOperation(opId);
        address to = _accounts[account].linked;
        if (to == address(0)) revert NoLinkedAddress(account);
        _sendOut(opId, account, asset, amount, to);
    }

    // ---------------------------------------------------------------- anyone

    /// @inheritdoc ICustodialVault
    function exit(bytes32 account, address asset, uint256 amount) external whenNotPaused nonReentrant {
        address linked = _accounts[account].linked;
        if (linked == address(0) || linked != msg.sender) revert NotLinkedAddress(msg.sender);
        _sendOut(0, account, asset, amount, msg.sender);
    }

    /// @inheritdoc ICustodialVault
    function deposit(bytes32 account, address asset, uint256 amount) external whenNotPaused nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _putIn(account, asset, amount);
        totalBalance[asset] += amount;
        IERC20(asset).safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(account, asset, amount, msg.sender);
    }

    // ---------------------------------------------------------------- compliance

    /// @inheritdoc ICustodialVault
    function linkAddress(bytes32 account, address linked) external {
        AccountInfo storage info = _requireOpen(account);
        if (!hasRole(Roles.COMPLIANCE, msg.sender)) {
            // The operator may only set a first link: moving an existing one is a compliance decision.
            _checkRole(Roles.OPERATOR);
            _requireNotPaused();
            if (linked == address(0)) revert ZeroAddress();
            if (info.linked != address(0)) revert AlreadyLinked(account, info.linked);
        }
        info.linked = linked;
        emit AddressLinked(account, linked);
    }

    /// @inheritdoc ICustodialVault
    function setTier(bytes32 account, uint8 tier) external onlyRole(Roles.COMPLIANCE) {
        _requireValidTier(tier);
        AccountInfo storage info = _requireOpen(account);
        uint8 oldTier = info.tier;
        info.tier = tier;
        emit TierChanged(account, oldTier, tier);
    }

    /// @inheritdoc ICustodialVault
    function freeze(bytes32 account) external onlyRole(Roles.COMPLIANCE) {
        _requireOpen(account).frozen = true;
        emit AccountFrozen(account);
    }

    /// @inheritdoc ICustodialVault
    function unfreeze(bytes32 account) external onlyRole(Roles.COMPLIANCE) {
        _requireOpen(account).frozen = false;
        emit AccountUnfrozen(account);
    }

    // ---------------------------------------------------------------- admin

    /// @inheritdoc ICustodialVault
    function setTierLimits(uint8 tier, address asset, TierLimits calldata limits)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _requireValidTier(tier);
        _requireSupported(asset);
        _limits[tier][asset] = limits;
        emit TierLimitsChanged(tier, asset, limits);
    }

    /// @inheritdoc ICustodialVault
    function addAsset(address asset) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (asset == address(0)) revert ZeroAddress();
        if (_supported[asset]) revert AssetExists(asset);
        if (_assets.length == MAX_ASSETS) revert TooManyAssets(MAX_ASSETS);
        _supported[asset] = true;
        _assets.push(asset);
        // The router pulls convert inputs from the vault; approving once keeps convert cheap.
        _approveAll(IERC20(asset), router);
        emit AssetAdded(asset);
    }

    /// @inheritdoc ICustodialVault
    function addIssuer(address issuer) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (issuer == address(0)) revert ZeroAddress();
        if (_issuedAsset[issuer] != address(0)) revert IssuerExists(issuer);
        address asset = IHtsIssuer(issuer).token();
        _requireSupported(asset);
        _issuedAsset[issuer] = asset;
        // The issuer pulls what a debit burns: an HTS token burns only from its treasury, the issuer.
        _approveAll(IERC20(asset), issuer);
        emit IssuerAdded(issuer, asset);
    }

    /// @inheritdoc ICustodialVault
    function associateHederaToken(address token) external onlyRole(DEFAULT_ADMIN_ROLE) {
        HederaAssociation.associate(token);
        emit HederaTokenAssociated(token);
    }

    /// @inheritdoc ICustodialVault
    function sweepSurplus(address asset, address to)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        nonReentrant
        returns (uint256 amount)
    {
        if (to == address(0)) revert ZeroAddress();
        amount = IERC20(asset).balanceOf(address(this)) - totalBalance[asset];
        if (amount == 0) return 0;
        IERC20(asset).safeTransfer(to, amount);
        emit SurplusSwept(asset, amount, to);
    }

    function pause() external onlyRole(Roles.PAUSER) {
        _pause();
    }

    function unpause() external onlyRole(Roles.PAUSER) {
        _unpause();
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ICustodialVault
    function balanceOf(bytes32 account, address asset) external view returns (uint256) {
        return _positions[account][asset].balance;
    }

    /// @inheritdoc ICustodialVault
    function accountInfo(bytes32 account) external view returns (AccountInfo memory) {
        return _accounts[account];
    }

    /// @inheritdoc ICustodialVault
    function outflowInWindow(bytes32 account, address asset) external view returns (uint256) {
        Position storage p = _positions[account][asset];
        return block.timestamp >= uint256(p.windowStart) + WINDOW ? 0 : p.outflow;
    }

    /// @inheritdoc ICustodialVault
    function isOperationExecuted(uint256 opId) external view returns (bool) {
        return _operations[opId >> 8] & (1 << (opId & 255)) != 0;
    }

    /// @inheritdoc ICustodialVault
    function tierLimits(uint8 tier, address asset) external view returns (TierLimits memory) {
        return _limits[tier][asset];
    }

    /// @inheritdoc ICustodialVault
    function assets() external view returns (address[] memory) {
        return _assets;
    }

    /// @inheritdoc ICustodialVault
    function assetOf(address minter) external view returns (address) {
        return _assetOf(minter);
    }

    // ---------------------------------------------------------------- internal

    function _assetOf(address minter) private view returns (address asset) {
        asset = _issuedAsset[minter];
        if (asset == address(0)) asset = minter;
    }

    /// @dev Approves `spender` for everything, or for the most an HTS token allows (see MAX_HTS_ALLOWANCE).
    function _approveAll(IERC20 asset, address spender) private {
        bytes memory approveAll = abi.encodeCall(IERC20.approve, (spender, type(uint256).max));
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory result) = address(asset).call(approveAll);
        // What SafeERC20 accepts: `true`, or no return data from a contract.
        bool approved = ok && (result.length == 0 ? address(asset).code.length != 0 : abi.decode(result, (bool)));
        if (!approved) asset.forceApprove(spender, MAX_HTS_ALLOWANCE);
    }

    function _useOperation(uint256 opId) private {
        uint256 word = opId >> 8;
        uint256 bit = 1 << (opId & 255);
        uint256 bits = _operations[word];
        if (bits & bit != 0) revert OperationAlreadyExecuted(opId);
        _operations[word] = bits | bit;
    }

    /// @dev Debits `amount` from an open, unfrozen account within its tier's single and daily limits.
    function _takeOut(bytes32 account, address asset, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        // Fields of one slot are read together, before any branch, so the optimizer loads it once.
        TierLimits storage limits = _limits[_requireActive(account)][asset];
        (uint256 maxSingle, uint256 maxDaily) = (limits.maxSingle, limits.maxDailyOutflow);
        if (amount > maxSingle) {
            // An unsupported asset has all-zero limits (setTierLimits refuses it), so its support is
            // only looked up on the way to this revert, keeping it off the hot path.
            _requireSupported(asset);
            revert SingleLimitExceeded(amount, maxSingle);
        }

        Position storage p = _positions[account][asset];
        (uint256 balance, uint256 outflow, uint256 windowStart) = (p.balance, p.outflow, p.windowStart);
        if (amount > balance) revert InsufficientBalance(account, asset, balance, amount);
        if (block.timestamp >= windowStart + WINDOW) {
            outflow = 0;
            windowStart = block.timestamp;
        }
        outflow += amount;
        if (outflow > maxDaily) revert DailyLimitExceeded(outflow, maxDaily);

        unchecked {
            (p.balance, p.outflow, p.windowStart) = (uint128(balance - amount), uint88(outflow), uint40(windowStart));
        }
    }

    /// @dev Credits `amount` to an open, unfrozen account within its tier's balance limit.
    function _putIn(bytes32 account, address asset, uint256 amount) private {
        uint8 tier = _requireActive(account);
        Position storage p = _positions[account][asset];
        uint256 balanceAfter = p.balance + amount;
        uint256 maxBalance = _limits[tier][asset].maxBalance;
        if (balanceAfter > maxBalance) {
            _requireSupported(asset); // see _takeOut
            revert BalanceLimitExceeded(balanceAfter, maxBalance);
        }
        p.balance = uint128(balanceAfter);
    }

    function _sendOut(uint256 opId, bytes32 account, address asset, uint256 amount, address to) private {
        _takeOut(account, asset, amount);
        totalBalance[asset] -= amount;
        IERC20(asset).safeTransfer(to, amount);
        emit Withdrawn(opId, account, asset, amount, to);
    }

    /// @return tier The tier of `account`, which is open and not frozen.
    function _requireActive(bytes32 account) private view returns (uint8 tier) {
        AccountInfo storage info = _accounts[account];
        bool frozen;
        (tier, frozen) = (info.tier, info.frozen);
        if (tier == 0) revert AccountNotOpen(account);
        if (frozen) revert AccountIsFrozen(account);
    }

    function _requireOpen(bytes32 account) private view returns (AccountInfo storage info) {
        info = _accounts[account];
        if (info.tier == 0) revert AccountNotOpen(account);
    }

    function _requireStatementFor(SupplyChange calldata change, SupplyChangeKind kind, bytes32 account)
        private
        view
    {
        if (change.kind != kind || change.holder != address(this) || change.account != account) {
            revert StatementMismatch();
        }
    }

    function _requireSupported(address asset) private view {
        if (!_supported[asset]) revert UnsupportedAsset(asset);
    }

    function _requireValidTier(uint8 tier) private pure {
        if (tier == 0 || tier > MAX_TIER) revert InvalidTier(tier);
    }
}
