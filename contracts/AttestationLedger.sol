// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {
    IAttestationLedger,
    ReserveReport,
    SupplyChange,
    SupplyChangeKind,
    StatementRecord
} from "./interfaces/IAttestationLedger.sol";
import {Roles} from "./libraries/Roles.sol";
import {SignatureSet} from "./libraries/SignatureSet.sol";

/// @title AttestationLedger
/// @notice See {IAttestationLedger}. The m-of-n check follows Circle CCTP's `Attestable`: signers strictly
/// ascending (which also rules out duplicates), each a current attester, at least `threshold` of them.
contract AttestationLedger is IAttestationLedger, AccessControl, EIP712 {
    using EnumerableSet for EnumerableSet.AddressSet;
    using SignatureSet for bytes;

    uint256 public constant MAX_ATTESTERS = 32;

    bytes32 public constant RESERVE_REPORT_TYPEHASH =
        keccak256("ReserveReport(address asset,uint256 reserve,uint64 asOf,bytes32 custodianRef,uint256 nonce)");
    bytes32 public constant SUPPLY_CHANGE_TYPEHASH = keccak256(
        "SupplyChange(uint8 kind,address asset,address holder,bytes32 account,uint256 amount,bytes32 ref,"
        "uint256 nonce,uint64 deadline)"
    );

    uint8 internal constant KIND_RESERVE = 1;
    uint8 internal constant KIND_MINT = 2;
    uint8 internal constant KIND_BURN = 3;

    struct LatestReserve {
        uint192 reserve;
        uint64 asOf;
    }

    EnumerableSet.AddressSet private _attesters;
    uint256 private _threshold;
    uint256 private _maxReserveAge;
    uint64 private _reserveReportCount;
    uint64 private _supplyChangeCount;
    mapping(address asset => LatestReserve) private _latestReserve;
    mapping(bytes32 id => StatementRecord) private _statements;

    constructor(
        address admin,
        address[] memory initialAttesters,
        uint256 initialThreshold,
        uint256 initialMaxReserveAge
    ) EIP712("JuaPesa AttestationLedger", "1") {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(Roles.ATTESTER_MANAGER, admin);
        for (uint256 i; i < initialAttesters.length; ++i) {
            _addAttester(initialAttesters[i]);
        }
        _setThreshold(initialThreshold);
        _setMaxReserveAge(initialMaxReserveAge);
    }

    // ---------------------------------------------------------------- statements

    /// @inheritdoc IAttestationLedger
    function submitReserveReport(ReserveReport calldata report, bytes calldata signatures)
        external
        returns (bytes32 id)
    {
        if (report.asset == address(0)) revert ZeroAddress();
        if (report.asOf > block.timestamp) revert ReserveFromFuture(report.asOf, block.timestamp);
        if (block.timestamp - report.asOf > _maxReserveAge) revert ReserveReportStale(report.asOf, _maxReserveAge);
        LatestReserve memory latest = _latestReserve[report.asset];
        if (report.asOf <= latest.asOf) revert ReserveNotNewer(report.asOf, latest.asOf);

        id = reserveReportDigest(report);
        _verify(id, signatures);
        _record(id, KIND_RESERVE);
        unchecked {
            ++_reserveReportCount;
        }
        _latestReserve[report.asset] = LatestReserve(uint192(report.reserve), report.asOf);

        emit ReserveReported(
            id, report.asset, report.reserve, report.asOf, report.custodianRef, report.nonce, signatures
        );
        // A lower reserve than supply is a fact to publish, not to refuse: refusing would hide it.
        uint256 supply = _supplyOf(report.asset);
        if (supply > report.reserve) emit ReserveBelowSupply(report.asset, report.reserve, supply);
    }

    /// @inheritdoc IAttestationLedger
    function consumeSupplyChange(SupplyChange calldata change, bytes calldata signatures)
        external
        returns (bytes32 id, uint256 reserve)
    {
        if (msg.sender != change.asset) revert CallerNotAsset(msg.sender, change.asset);
        if (change.amount == 0) revert ZeroAmount();
        if (block.timestamp > change.deadline) revert StatementExpired(change.deadline, block.timestamp);
        if (change.kind == SupplyChangeKind.Mint) reserve = _freshReserve(change.asset);

        id = supplyChangeDigest(change);
        _verify(id, signatures);
        _record(id, change.kind == SupplyChangeKind.Mint ? KIND_MINT : KIND_BURN);
        unchecked {
            ++_supplyChangeCount;
        }

        emit SupplyChangeAttested(
            id,
            change.kind,
            change.asset,
            change.holder,
            change.account,
            change.amount,
            change.ref,
            change.nonce,
            change.deadline,
            signatures
        );
    }

    // ---------------------------------------------------------------- digests and reads

    /// @inheritdoc IAttestationLedger
    function reserveReportDigest(ReserveReport calldata report) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    RESERVE_REPORT_TYPEHASH,
                    report.asset,
                    report.reserve,
                    report.asOf,
                    report.custodianRef,
                    report.nonce
                )
            )
        );
    }

    /// @inheritdoc IAttestationLedger
    function supplyChangeDigest(SupplyChange calldata change) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    SUPPLY_CHANGE_TYPEHASH,
                    uint8(change.kind),
                    change.asset,
                    change.holder,
                    change.account,
                    change.amount,
                    change.ref,
                    change.nonce,
                    change.deadline
                )
            )
        );
    }

    /// @inheritdoc IAttestationLedger
    function latestReserve(address asset) external view returns (uint256 reserve, uint64 asOf, bool fresh) {
        LatestReserve memory latest = _latestReserve[asset];
        return (latest.reserve, latest.asOf, _isFresh(latest.asOf));
    }

    function statement(bytes32 id) external view returns (StatementRecord memory) {
        return _statements[id];
    }

    function isStatementUsed(bytes32 id) external view returns (bool) {
        return _statements[id].kind != 0;
    }

    function reserveReportCount() external view returns (uint256) {
        return _reserveReportCount;
    }

    function supplyChangeCount() external view returns (uint256) {
        return _supplyChangeCount;
    }

    function attesters() external view returns (address[] memory) {
        return _attesters.values();
    }

    function isAttester(address account) external view returns (bool) {
        return _attesters.contains(account);
    }

    function threshold() external view returns (uint256) {
        return _threshold;
    }

    function maxReserveAge() external view returns (uint256) {
        return _maxReserveAge;
    }

    // ---------------------------------------------------------------- administration

    function addAttester(address attester) external onlyRole(Roles.ATTESTER_MANAGER) {
        _addAttester(attester);
    }

    function removeAttester(address attester) external onlyRole(Roles.ATTESTER_MANAGER) {
        if (!_attesters.remove(attester)) revert NotAttester(attester);
        uint256 remaining = _attesters.length();
        if (remaining < _threshold) revert InvalidThreshold(_threshold, remaining);
        emit AttesterRemoved(attester);
    }

    function setThreshold(uint256 newThreshold) external onlyRole(Roles.ATTESTER_MANAGER) {
        _setThreshold(newThreshold);
    }

    function setMaxReserveAge(uint256 newMaxAge) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxReserveAge(newMaxAge);
    }

    // ---------------------------------------------------------------- internals

    function _verify(bytes32 digest, bytes calldata signatures) internal view {
        if (!signatures.isWellFormed()) revert MalformedSignatures(signatures.length);
        uint256 given = signatures.count();
        if (given < _threshold) revert InsufficientSignatures(given, _threshold);
        address previous;
        for (uint256 i; i < given; ++i) {
            address signer = signatures.signerAt(i, digest);
            if (signer <= previous) revert SignersNotAscending(previous, signer);
            if (!_attesters.contains(signer)) revert UnknownSigner(signer);
            previous = signer;
        }
    }

    function _record(bytes32 id, uint8 kind) internal {
        if (_statements[id].kind != 0) revert StatementAlreadyUsed(id);
        _statements[id] = StatementRecord({
            kind: kind,
            acceptedAt: uint40(block.timestamp),
            blockNumber: uint64(block.number),
            sequence: _reserveReportCount + _supplyChangeCount + 1
        });
    }

    function _freshReserve(address asset) internal view returns (uint256) {
        LatestReserve memory latest = _latestReserve[asset];
        if (latest.asOf == 0 || !_isFresh(latest.asOf)) revert NoFreshReserve(asset, latest.asOf);
        return latest.reserve;
    }

    function _isFresh(uint64 asOf) internal view returns (bool) {
        return asOf != 0 && block.timestamp - asOf <= _maxReserveAge;
    }

    /// @dev The asset may not be an ERC-20 we can ask (an HTS token behind an issuer); then no check.
    function _supplyOf(address asset) internal view returns (uint256) {
        (bool ok, bytes memory data) = asset.staticcall(abi.encodeCall(IERC20.totalSupply, ()));
        return ok && data.length == 32 ? abi.decode(data, (uint256)) : 0;
    }

    function _addAttester(address attester) internal {
        if (attester == address(0)) revert ZeroAddress();
        if (_attesters.length() >= MAX_ATTESTERS) revert TooManyAttesters(MAX_ATTESTERS);
        if (!_attesters.add(attester)) revert AlreadyAttester(attester);
        emit AttesterAdded(attester);
    }

    function _setThreshold(uint256 newThreshold) internal {
        uint256 n = _attesters.length();
        if (newThreshold == 0 || newThreshold > n) revert InvalidThreshold(newThreshold, n);
        emit ThresholdChanged(_threshold, newThreshold);
        _threshold = newThreshold;
    }

    function _setMaxReserveAge(uint256 newMaxAge) internal {
        if (newMaxAge == 0 || newMaxAge > 30 days) revert InvalidMaxReserveAge(newMaxAge);
        emit MaxReserveAgeChanged(_maxReserveAge, newMaxAge);
        _maxReserveAge = newMaxAge;
    }
}
