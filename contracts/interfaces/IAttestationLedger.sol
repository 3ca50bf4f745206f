// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Whether a supply change creates or destroys tokens.
enum SupplyChangeKind {
    Mint,
    Burn
}

/// @notice A custodian's statement of what it holds off-chain for `asset`, signed by attesters.
/// @param asset The on-chain token that represents the reserve.
/// @param reserve Amount held, in the token's base units.
/// @param asOf When the custodian's balance was read (unix seconds).
/// @param custodianRef Hash of the custodian's statement (bank letter, float statement id).
/// @param nonce Any value that makes the statement unique.
struct ReserveReport {
    address asset;
    uint256 reserve;
    uint64 asOf;
    bytes32 custodianRef;
    uint256 nonce;
}

/// @notice An attested mint or burn.
/// @param kind Mint or burn.
/// @param asset The token whose supply changes; only that token may consume the statement.
/// @param holder Address that receives minted tokens or whose tokens are burned.
/// @param account Vault account id (HMAC of a phone number) when `holder` is the vault, else 0.
/// @param amount Amount in the token's base units.
/// @param ref Hash of the off-chain reference (e.g. a mobile-money receipt); never the receipt itself.
/// @param nonce Any value that makes the statement unique.
/// @param deadline Last unix second at which the statement may be consumed.
struct SupplyChange {
    SupplyChangeKind kind;
    address asset;
    address holder;
    bytes32 account;
    uint256 amount;
    bytes32 ref;
    uint256 nonce;
    uint64 deadline;
}

/// @notice What the ledger remembers of each accepted statement, by id (its EIP-712 digest).
struct StatementRecord {
    uint8 kind; // 0 none, 1 reserve report, 2 mint, 3 burn
    uint40 acceptedAt;
    uint64 blockNumber;
    uint64 sequence; // 1-based position among all accepted statements
}

/// @title The public attestation ledger
/// @notice An m-of-n set of attesters signs EIP-712 statements (reserve reports and supply changes).
/// Signatures are 65-byte (r, s, v) concatenated, ordered by signer address strictly ascending.
/// Each statement is accepted at most once; its id is its EIP-712 digest. Every accepted statement
/// is emitted with all its fields and the signatures, so anyone can re-verify the ledger from events.
interface IAttestationLedger {
    event AttesterAdded(address indexed attester);
    event AttesterRemoved(address indexed attester);
    event ThresholdChanged(uint256 oldThreshold, uint256 newThreshold);
    event MaxReserveAgeChanged(uint256 oldMaxAge, uint256 newMaxAge);
    event ReserveReported(
        bytes32 indexed id,
        address indexed asset,
        uint256 reserve,
        uint64 asOf,
        bytes32 custodianRef,
        uint256 nonce,
        bytes signatures
    );
    /// @notice Emitted beside ReserveReported when the newly reported reserve is below the token's supply.
    event ReserveBelowSupply(address indexed asset, uint256 reserve, uint256 supply);
    event SupplyChangeAttested(
        bytes32 indexed id,
        SupplyChangeKind kind,
        address indexed asset,
        address holder,
        bytes32 indexed account,
        uint256 amount,
        bytes32 ref,
        uint256 nonce,
        uint64 deadline,
        bytes signatures
    );

    error ZeroAddress();
    error AlreadyAttester(address attester);
    error NotAttester(address attester);
    error InvalidThreshold(uint256 threshold, uint256 attesterCount);
    error TooManyAttesters(uint256 max);
    error InvalidMaxReserveAge(uint256 maxAge);
    error MalformedSignatures(uint256 length);
    error InsufficientSignatures(uint256 given, uint256 threshold);
    error SignersNotAscending(address previous, address next);
    error UnknownSigner(address signer);
    error StatementAlreadyUsed(bytes32 id);
    error CallerNotAsset(address caller, address asset);
    error StatementExpired(uint64 deadline, uint256 nowTs);
    error ReserveFromFuture(uint64 asOf, uint256 nowTs);
    error ReserveReportStale(uint64 asOf, uint256 maxAge);
    error ReserveNotNewer(uint64 asOf, uint64 latestAsOf);
    error NoFreshReserve(address asset, uint64 latestAsOf);
    error ZeroAmount();

    /// @notice Accepts a reserve report signed by at least `threshold()` attesters. Anyone may submit.
    /// @dev Refuses reports older than `maxReserveAge()`, dated in the future, or not newer than the
    /// latest report for the asset.
    function submitReserveReport(ReserveReport calldata report, bytes calldata signatures)
        external
        returns (bytes32 id);

    /// @notice Verifies and consumes a supply-change statement. Only `change.asset` may call it, so a
    /// statement is consumed exactly when the token mints or burns.
    /// @return id The statement id.
    /// @return reserve For a mint, the latest fresh reserve of the asset (reverts `NoFreshReserve` if
    /// there is none); for a burn, 0.
    function consumeSupplyChange(SupplyChange calldata change, bytes calldata signatures)
        external
        returns (bytes32 id, uint256 reserve);

    function reserveReportDigest(ReserveReport calldata report) external view returns (bytes32);
    function supplyChangeDigest(SupplyChange calldata change) external view returns (bytes32);

    /// @notice The latest accepted reserve for `asset`, and whether it is still fresh.
    function latestReserve(address asset) external view returns (uint256 reserve, uint64 asOf, bool fresh);
    function statement(bytes32 id) external view returns (StatementRecord memory);
    function isStatementUsed(bytes32 id) external view returns (bool);
    function reserveReportCount() external view returns (uint256);
    function supplyChangeCount() external view returns (uint256);

    function attesters() external view returns (address[] memory);
    function isAttester(address account) external view returns (bool);
    function threshold() external view returns (uint256);
    function maxReserveAge() external view returns (uint256);

    /// @dev Attester-manager role. At most MAX_ATTESTERS attesters.
    function addAttester(address attester) external;
    /// @dev Attester-manager role. Refused if it would leave fewer attesters than the threshold.
    function removeAttester(address attester) external;
    function setThreshold(uint256 newThreshold) external;
    function setMaxReserveAge(uint256 newMaxAge) external;
}
