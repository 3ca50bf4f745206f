// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AttestationLedger} from "../../../contracts/AttestationLedger.sol";
import {AttestedToken} from "../../../contracts/AttestedToken.sol";
import {
    ReserveReport, SupplyChange, SupplyChangeKind, IAttestationLedger
} from "../../../contracts/interfaces/IAttestationLedger.sol";
import {InvariantBase, TestBase} from "../utils/TestBase.sol";

/// @notice Drives the ledger and token with random attested mints, burns, reserve reports and replays.
contract AttestedSupplyHandler is TestBase {
    AttestationLedger public immutable ledger;
    AttestedToken public immutable token;
    uint256[3] internal keys;
    address[3] internal signers; // ascending

    uint256 public mints;
    uint256 public burns;
    uint256 public minted;
    uint256 public burned;
    bool public mintExceededReserve;
    bool public replaySucceeded;
    /// @dev Set when a report itself published a reserve below supply; invariant 1 then reads "no mint".
    bool public reserveReportedBelowSupply;
    SupplyChange[] internal consumed;
    bytes[] internal consumedSigs;
    uint256 internal nonce;

    constructor(AttestationLedger ledger_, AttestedToken token_, uint256[3] memory keys_) {
        ledger = ledger_;
        token = token_;
        keys = keys_;
        for (uint256 i; i < 3; ++i) signers[i] = vm.addr(keys_[i]);
    }

    function report(uint256 reserve, uint256 ageSeed, uint256 advance) external {
        vm.warp(block.timestamp + bound(advance, 1, 6 hours));
        reserve = bound(reserve, 0, 1e15);
        (, uint64 latestAsOf,) = ledger.latestReserve(address(token));
        uint64 asOf = uint64(block.timestamp - bound(ageSeed, 0, 600));
        if (asOf <= latestAsOf) return;
        ReserveReport memory r = ReserveReport(address(token), reserve, asOf, keccak256("statement"), ++nonce);
        ledger.submitReserveReport(r, _sign(this.reportDigest(r), ageSeed));
        reserveReportedBelowSupply = reserve < token.totalSupply();
    }

    function mint(uint256 amount, uint256 signerSeed) external {
        amount = bound(amount, 1, 1e14);
        SupplyChange memory c = _change(SupplyChangeKind.Mint, amount);
        bytes memory sigs = _sign(this.changeDigest(c), signerSeed);
        try token.mint(c, sigs) {
            ++mints;
            minted += amount;
            _remember(c, sigs);
            (uint256 reserve,,) = ledger.latestReserve(address(token));
            if (token.totalSupply() > reserve) mintExceededReserve = true;
        } catch {}
    }

    function burn(uint256 amount, uint256 signerSeed) external {
        uint256 balance = token.balanceOf(address(this));
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        SupplyChange memory c = _change(SupplyChangeKind.Burn, amount);
        bytes memory sigs = _sign(this.changeDigest(c), signerSeed);
        token.burn(c, sigs);
        ++burns;
        burned += amount;
        _remember(c, sigs);
    }

    function replay(uint256 which) external {
        if (consumed.length == 0) return;
        uint256 i = bound(which, 0, consumed.length - 1);
        SupplyChange memory c = consumed[i];
        if (c.kind == SupplyChangeKind.Mint) {
            try token.mint(c, consumedSigs[i]) {
                replaySucceeded = true;
            } catch {}
        } else {
            try token.burn(c, consumedSigs[i]) {
                replaySucceeded = true;
            } catch {}
        }
    }

    function reportDigest(ReserveReport calldata r) external view returns (bytes32) {
        return ledger.reserveReportDigest(r);
    }

    function changeDigest(SupplyChange calldata c) external view returns (bytes32) {
        return ledger.supplyChangeDigest(c);
    }

    function _change(SupplyChangeKind kind, uint256 amount) internal returns (SupplyChange memory) {
        return SupplyChange(
            kind, address(token), address(this), bytes32(0), amount, keccak256(abi.encode(nonce)), ++nonce,
            uint64(block.timestamp + 1 hours)
        );
    }

    /// @dev Two of the three attesters, chosen by the seed, in ascending address order.
    function _sign(bytes32 digest, uint256 seed) internal view returns (bytes memory sigs) {
        uint256 skip = seed % 3;
        for (uint256 i; i < 3; ++i) {
            if (i == skip) continue;
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[i], digest);
            sigs = bytes.concat(sigs, abi.encodePacked(r, s, v));
        }
    }

    function _remember(SupplyChange memory c, bytes memory sigs) internal {
        consumed.push(c);
        consumedSigs.push(sigs);
    }
}

/// @notice DESIGN.md invariants 1 (supply ≤ latest fresh attested reserve) and 3 (every mint and burn has
/// exactly one attestation; no attestation is used twice).
contract AttestedSupplyInvariants is InvariantBase {
    AttestationLedger internal ledger;
    AttestedToken internal token;
    AttestedSupplyHandler internal handler;

    function setUp() public {
        uint256[3] memory keys = [uint256(0xA11CE), uint256(0xB0B), uint256(0xCAFE)];
        // The ledger wants signatures by ascending signer address: sort the keys by their address.
        for (uint256 i; i < 3; ++i) {
            for (uint256 j = i + 1; j < 3; ++j) {
                if (vm.addr(keys[j]) < vm.addr(keys[i])) (keys[i], keys[j]) = (keys[j], keys[i]);
            }
        }
        address[] memory attesters = new address[](3);
        for (uint256 i; i < 3; ++i) attesters[i] = vm.addr(keys[i]);
        vm.warp(1_700_000_000);
        ledger = new AttestationLedger(address(this), attesters, 2, 1 days);
        token = new AttestedToken("Compliant Naira", "cNGN", 6, ledger, address(this));
        handler = new AttestedSupplyHandler(ledger, token, keys);
        targetContract(address(handler));
    }

    function invariant_noMintTakesSupplyAboveReserve() public view {
        vm.assertFalse(handler.mintExceededReserve(), "a mint took supply above the attested reserve");
        (uint256 reserve,,) = ledger.latestReserve(address(token));
        if (!handler.reserveReportedBelowSupply()) {
            vm.assertLe(token.totalSupply(), reserve, "supply above the latest attested reserve");
        }
    }

    function invariant_everySupplyChangeHasExactlyOneAttestation() public view {
        vm.assertEq(ledger.supplyChangeCount(), handler.mints() + handler.burns(), "attestations != supply changes");
        vm.assertEq(token.totalSupply(), handler.minted() - handler.burned(), "supply != attested mints - burns");
        vm.assertFalse(handler.replaySucceeded(), "a statement was used twice");
    }
}
