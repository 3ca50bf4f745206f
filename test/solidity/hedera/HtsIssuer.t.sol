// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AttestationLedger} from "../../../contracts/AttestationLedger.sol";
import {HtsIssuer} from "../../../contracts/hedera/HtsIssuer.sol";
import {IHederaTokenService, IHRC719} from "../../../contracts/hedera/IHederaTokenService.sol";
import {HederaTokenServiceEmulator} from "../../../contracts/hedera/emulator/HederaTokenServiceEmulator.sol";
import {ReserveReport, SupplyChange, SupplyChangeKind} from "../../../contracts/interfaces/IAttestationLedger.sol";
import {InvariantBase, TestBase} from "../utils/TestBase.sol";

/// @notice Drives an HtsIssuer, over the emulated token service at 0x167, with random attested mints,
/// burns, reserve reports and replays; the holder is this handler.
contract HtsIssuerHandler is TestBase {
    AttestationLedger public immutable ledger;
    HtsIssuer public immutable issuer;
    IERC20 public immutable token;
    uint256[3] internal keys;

    uint256 public mints;
    uint256 public burns;
    uint256 public minted;
    uint256 public burned;
    bool public mintExceededReserve;
    bool public replaySucceeded;
    bool public reserveReportedBelowSupply;
    SupplyChange[] internal consumed;
    bytes[] internal consumedSigs;
    uint256 internal nonce;

    constructor(AttestationLedger ledger_, HtsIssuer issuer_, uint256[3] memory keys_) {
        ledger = ledger_;
        issuer = issuer_;
        token = IERC20(issuer_.token());
        keys = keys_;
        IHRC719(address(token)).associate();
        token.approve(address(issuer_), uint64(type(int64).max));
    }

    function report(uint256 reserve, uint256 ageSeed, uint256 advance) external {
        vm.warp(block.timestamp + bound(advance, 1, 6 hours));
        reserve = bound(reserve, 0, 1e15);
        (, uint64 latestAsOf,) = ledger.latestReserve(address(issuer));
        uint64 asOf = uint64(block.timestamp - bound(ageSeed, 0, 600));
        if (asOf <= latestAsOf) return;
        ReserveReport memory r = ReserveReport(address(issuer), reserve, asOf, keccak256("statement"), ++nonce);
        ledger.submitReserveReport(r, _sign(this.reportDigest(r), ageSeed));
        reserveReportedBelowSupply = reserve < token.totalSupply();
    }

    function mint(uint256 amount, uint256 signerSeed) external {
        amount = bound(amount, 1, 1e14);
        SupplyChange memory c = _change(SupplyChangeKind.Mint, amount);
        bytes memory sigs = _sign(this.changeDigest(c), signerSeed);
        try issuer.mint(c, sigs) {
            ++mints;
            minted += amount;
            _remember(c, sigs);
            (uint256 reserve,,) = ledger.latestReserve(address(issuer));
            if (token.totalSupply() > reserve) mintExceededReserve = true;
        } catch {}
    }

    function burn(uint256 amount, uint256 signerSeed) external {
        uint256 balance = token.balanceOf(address(this));
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        SupplyChange memory c = _change(SupplyChangeKind.Burn, amount);
        bytes memory sigs = _sign(this.changeDigest(c), signerSeed);
        issuer.burn(c, sigs);
        ++burns;
        burned += amount;
        _remember(c, sigs);
    }

    function replay(uint256 which) external {
        if (consumed.length == 0) return;
        uint256 i = bound(which, 0, consumed.length - 1);
        SupplyChange memory c = consumed[i];
        if (c.kind == SupplyChangeKind.Mint) {
            try issuer.mint(c, consumedSigs[i]) {
                replaySucceeded = true;
            } catch {}
        } else {
            try issuer.burn(c, consumedSigs[i]) {
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
            kind, address(issuer), address(this), bytes32(0), amount, keccak256(abi.encode(nonce)), ++nonce,
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

/// @notice DESIGN.md invariants 1 and 3 for an HTS token: its supply stays within the latest fresh reserve
/// attested for its issuer, every supply change has exactly one attestation, and the issuer, the token's
/// treasury, never keeps what it mints or burns.
contract HtsIssuerInvariants is InvariantBase {
    address internal constant HTS = address(0x167);
    uint256 internal constant SUPPLY_KEY = 16;

    AttestationLedger internal ledger;
    HtsIssuer internal issuer;
    IERC20 internal token;
    HtsIssuerHandler internal handler;

    function setUp() public {
        vm.etch(HTS, type(HederaTokenServiceEmulator).runtimeCode);
        uint256[3] memory keys = [uint256(0xA11CE), uint256(0xB0B), uint256(0xCAFE)];
        for (uint256 i; i < 3; ++i) {
            for (uint256 j = i + 1; j < 3; ++j) {
                if (vm.addr(keys[j]) < vm.addr(keys[i])) (keys[i], keys[j]) = (keys[j], keys[i]);
            }
        }
        address[] memory attesters = new address[](3);
        for (uint256 i; i < 3; ++i) attesters[i] = vm.addr(keys[i]);
        vm.warp(1_700_000_000);
        ledger = new AttestationLedger(address(this), attesters, 2, 1 days);
        issuer = new HtsIssuer(ledger, address(this));

        IHederaTokenService.TokenKey[] memory tokenKeys = new IHederaTokenService.TokenKey[](1);
        tokenKeys[0].keyType = SUPPLY_KEY;
        tokenKeys[0].key.contractId = address(issuer);
        IHederaTokenService.HederaToken memory spec;
        (spec.name, spec.symbol, spec.treasury, spec.tokenKeys) = ("Compliant Naira", "cNGN", address(issuer), tokenKeys);
        (, address created) = IHederaTokenService(HTS).createFungibleToken(spec, 0, 6);
        issuer.setToken(created);
        token = IERC20(created);

        handler = new HtsIssuerHandler(ledger, issuer, keys);
        targetContract(address(handler));
    }

    function invariant_noMintTakesSupplyAboveReserve() public view {
        vm.assertFalse(handler.mintExceededReserve(), "a mint took supply above the attested reserve");
        (uint256 reserve,,) = ledger.latestReserve(address(issuer));
        if (!handler.reserveReportedBelowSupply()) {
            vm.assertLe(token.totalSupply(), reserve, "supply above the latest attested reserve");
        }
    }

    function invariant_everySupplyChangeHasExactlyOneAttestation() public view {
        vm.assertEq(ledger.supplyChangeCount(), handler.mints() + handler.burns(), "attestations != supply changes");
        vm.assertEq(token.totalSupply(), handler.minted() - handler.burned(), "supply != attested mints - burns");
        vm.assertFalse(handler.replaySucceeded(), "a statement was used twice");
    }

    function invariant_treasuryKeepsNothing() public view {
        vm.assertEq(token.balanceOf(address(issuer)), 0, "the issuer kept tokens");
        vm.assertEq(token.balanceOf(address(handler)), token.totalSupply(), "supply not all with the holder");
    }
}
