// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SupplyChange} from "./IAttestationLedger.sol";

/// @notice Limits for one KYC tier and one asset, in the asset's base units. 0 means "nothing allowed".
struct TierLimits {
    uint80 maxSingle; // largest single outgoing operation
    uint80 maxDailyOutflow; // outflow per 24 h window
    uint80 maxBalance; // largest balance the account may hold
}

/// @notice An account's standing. Tier 0 means the account is not open.
struct AccountInfo {
    uint8 tier;
    bool frozen;
    address linked; // optional self-custody address
}

/// @title Custodial vault of phone-number accounts
/// @notice Accounts are `bytes32` ids computed off-chain as HMAC-SHA256(pepper, E.164 number); the
/// vault never sees a phone number. The operator (the USSD bridge) acts for accounts; every operator
/// action carries an operation id that executes at most once (a repeat reverts with
/// `OperationAlreadyExecuted`, which callers treat as "already done"). Operation ids are unordered
/// nonces kept in a bitmap, so sequential ids cost one storage word per 256 operations.
/// Invariant: for each asset, the sum of account balances equals `totalBalance(asset)`, which the
/// vault holds (tokens sent to it by mistake are surplus, never anyone's balance).
/// Outflow limits run over a 24 h window that starts at an account's first outflow after the
/// previous window ended.
///
/// Hedera Token Service (HTS) tokens: the vault holds and books an HTS token at its ERC-20 facade's
/// address, like any asset (so transfers, converts, withdrawals and deposits are unchanged), after
/// associating itself with it (`associateHederaToken`). Its attested supply changes, however, are made by
/// its issuer (an {IHtsIssuer}), which statements name as their asset. `addIssuer` registers such an
/// issuer for the asset it issues; `credit` and `debit` then take the issuer's statements, call the issuer
/// and book the asset.
interface ICustodialVault {
    event AssetAdded(address indexed asset);
    event IssuerAdded(address indexed issuer, address indexed asset);
    event HederaTokenAssociated(address indexed token);
    event AccountOpened(bytes32 indexed account, uint8 tier);
    event TierChanged(bytes32 indexed account, uint8 oldTier, uint8 newTier);
    event AccountFrozen(bytes32 indexed account);
    event AccountUnfrozen(bytes32 indexed account);
    event AddressLinked(bytes32 indexed account, address indexed linked);
    event TierLimitsChanged(uint8 indexed tier, address indexed asset, TierLimits limits);
    event Transferred(uint256 indexed opId, bytes32 indexed from, bytes32 indexed to, address asset, uint256 amount);
    event Converted(
        uint256 indexed opId,
        bytes32 indexed account,
        address assetIn,
        uint256 amountIn,
        address assetOut,
        uint256 amountOut
    );
    event Credited(uint256 indexed opId, bytes32 indexed account, address indexed asset, uint256 amount, bytes32 ref);
    event Debited(uint256 indexed opId, bytes32 indexed account, address indexed asset, uint256 amount, bytes32 ref);
    event Deposited(bytes32 indexed account, address indexed asset, uint256 amount, address indexed from);
    /// @param opId The operation id, or 0 when the linked address itself exited.
    event Withdrawn(uint256 indexed opId, bytes32 indexed account, address indexed asset, uint256 amount, address to);
    event SurplusSwept(address indexed asset, uint256 amount, address indexed to);

    error OperationAlreadyExecuted(uint256 opId);
    error ZeroAddress();
    error ZeroAmount();
    error ZeroAccount();
    error UnsupportedAsset(address asset);
    error AssetExists(address asset);
    error IssuerExists(address issuer);
    error AccountNotOpen(bytes32 account);
    error AccountExists(bytes32 account);
    error AccountIsFrozen(bytes32 account);
    error InvalidTier(uint8 tier);
    error SelfTransfer();
    error InsufficientBalance(bytes32 account, address asset, uint256 balance, uint256 amount);
    error SingleLimitExceeded(uint256 amount, uint256 limit);
    error DailyLimitExceeded(uint256 outflowAfter, uint256 limit);
    error BalanceLimitExceeded(uint256 balanceAfter, uint256 limit);
    error NoLinkedAddress(bytes32 account);
    error AlreadyLinked(bytes32 account, address linked);
    error NotLinkedAddress(address caller);
    error StatementMismatch();
    error InvalidPath();

    /// @notice Opens an account at `tier` (>= 1). Operator role.
    function openAccount(bytes32 account, uint8 tier) external;

    /// @notice Moves `amount` of `asset` between two open, unfrozen accounts. Operator role.
    function transfer(uint256 opId, bytes32 from, bytes32 to, address asset, uint256 amount) external;

    /// @notice Swaps an account's `tokens[0]` for `tokens[n]` through the Router. Operator role.
    function convert(
        uint256 opId,
        bytes32 account,
        address[] calldata tokens,
        address[] calldata pools,
        uint256 amountIn,
        uint256 minAmountOut,
        uint256 deadline
    ) external returns (uint256 amountOut);

    /// @notice Attested mint into an account (cash in, refund). The statement must be a mint with this vault
    /// as holder and `account` as account, whose asset is a supported asset or a registered issuer of one
    /// (`assetOf(change.asset)` is what the account is credited). Operator role.
    function credit(uint256 opId, bytes32 account, SupplyChange calldata change, bytes calldata signatures) external;

    /// @notice Attested burn from an account (cash out), of `assetOf(change.asset)`. Operator role.
    /// Outflow limits apply.
    function debit(uint256 opId, bytes32 account, SupplyChange calldata change, bytes calldata signatures) external;

    /// @notice Sends from an account to its linked self-custody address. Operator role.
    function withdraw(uint256 opId, bytes32 account, address asset, uint256 amount) external;

    /// @notice The linked address takes its account's funds out itself, without the operator.
    function exit(bytes32 account, address asset, uint256 amount) external;

    /// @notice Anyone tops up an open account from their own wallet (transferFrom).
    function deposit(bytes32 account, address asset, uint256 amount) external;

    /// @notice Links a self-custody address. Operator (only while none is linked) or compliance (any time,
    /// including address(0) to unlink).
    function linkAddress(bytes32 account, address linked) external;

    function setTier(bytes32 account, uint8 tier) external;
    function freeze(bytes32 account) external;
    function unfreeze(bytes32 account) external;
    function setTierLimits(uint8 tier, address asset, TierLimits calldata limits) external;
    function addAsset(address asset) external;

    /// @notice Registers `issuer` as the attested minter of the supported asset `issuer.token()`, so credits
    /// and debits may take its statements, and approves it to pull that asset (it burns from its treasury).
    /// Admin role. An asset that is its own minter (an AttestedToken) needs no issuer.
    function addIssuer(address issuer) external;

    /// @notice Associates the vault with HTS token `token` so it can hold it; already associated is fine.
    /// Admin role. Reverts `HtsCallFailed` with the network's response code otherwise.
    function associateHederaToken(address token) external;
    /// @notice Sends tokens the vault holds beyond `totalBalance(asset)` to `to`. Admin role.
    function sweepSurplus(address asset, address to) external returns (uint256 amount);

    function balanceOf(bytes32 account, address asset) external view returns (uint256);
    function accountInfo(bytes32 account) external view returns (AccountInfo memory);
    /// @notice Outflow counted against the daily limit right now (0 once the window has ended).
    function outflowInWindow(bytes32 account, address asset) external view returns (uint256);
    function isOperationExecuted(uint256 opId) external view returns (bool);
    function totalBalance(address asset) external view returns (uint256);
    function tierLimits(uint8 tier, address asset) external view returns (TierLimits memory);
    function assets() external view returns (address[] memory);
    /// @notice The asset that statements naming `minter` credit and debit: the issuer's registered asset,
    /// else `minter` itself.
    function assetOf(address minter) external view returns (address);
    function router() external view returns (address);
}
