// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HederaResponseCodes} from "../HederaResponseCodes.sol";
import {IHederaTokenService} from "../IHederaTokenService.sol";
import {HtsFacadeToken} from "./HtsFacadeToken.sol";

/// @title Emulator of Hedera's token service, for tests on chains without it
/// @notice Installed at 0x167 with `hardhat_setCode`, so it runs no constructor and needs none: every
/// token's record starts empty and is written by createFungibleToken, which deploys the token's ERC-20
/// facade (whose creation code this contract carries). Emulated: fungible tokens, treasury-only mint and
/// burn, the supply key (a contract id or delegatable contract id key authorizes calls from that
/// address; inheritAccountKey makes the creator the key; an ed25519 or ECDSA key is one no contract can
/// satisfy), association, finite supply, and the response codes below. Failures return their code and
/// change nothing, as the network's do.
/// @dev Not emulated: signatures of the treasury and of key holders at creation, HBAR fees (msg.value is
/// kept), admin/KYC/freeze/wipe/fee/pause keys, expiry, NFTs. Decimals are limited to 0..18.
contract HederaTokenServiceEmulator is IHederaTokenService {
    uint256 private constant SUPPLY_KEY = 16;

    struct TokenRecord {
        bool exists;
        bool finite;
        bool hasSupplyKey;
        address supplyKey; // 0 when the supply key is not a contract
        int64 maxSupply;
        address treasury;
    }

    mapping(address token => TokenRecord) private _tokens;

    /// @inheritdoc IHederaTokenService
    function createFungibleToken(HederaToken memory token, int64 initialTotalSupply, int32 decimals)
        external
        payable
        returns (int64 responseCode, address tokenAddress)
    {
        if (token.treasury == address(0)) return (HederaResponseCodes.INVALID_TREASURY_ACCOUNT_FOR_TOKEN, address(0));
        if (decimals < 0 || decimals > 18) return (HederaResponseCodes.INVALID_TOKEN_DECIMALS, address(0));
        if (initialTotalSupply < 0) return (HederaResponseCodes.INVALID_TOKEN_INITIAL_SUPPLY, address(0));
        if (token.tokenSupplyType) {
            if (token.maxSupply <= 0) return (HederaResponseCodes.INVALID_TOKEN_MAX_SUPPLY, address(0));
            if (initialTotalSupply > token.maxSupply) {
                return (HederaResponseCodes.INVALID_TOKEN_INITIAL_SUPPLY, address(0));
            }
        }
        (bool hasSupplyKey, address supplyKey) = _supplyKeyOf(token.tokenKeys);
        tokenAddress = address(
            new HtsFacadeToken(
                token.name, token.symbol, uint8(uint32(decimals)), token.treasury, uint64(initialTotalSupply)
            )
        );
        _tokens[tokenAddress] = TokenRecord({
            exists: true,
            finite: token.tokenSupplyType,
            hasSupplyKey: hasSupplyKey,
            supplyKey: supplyKey,
            maxSupply: token.maxSupply,
            treasury: token.treasury
        });
        return (HederaResponseCodes.SUCCESS, tokenAddress);
    }

    /// @inheritdoc IHederaTokenService
    function mintToken(address token, int64 amount, bytes[] memory)
        external
        returns (int64 responseCode, int64 newTotalSupply, int64[] memory serialNumbers)
    {
        TokenRecord memory record = _tokens[token];
        responseCode = _authorizeSupplyChange(record);
        if (responseCode != HederaResponseCodes.SUCCESS) return (responseCode, 0, serialNumbers);
        if (amount <= 0) return (HederaResponseCodes.INVALID_TOKEN_MINT_AMOUNT, 0, serialNumbers);
        uint256 cap = uint64(record.finite ? record.maxSupply : type(int64).max);
        HtsFacadeToken facade = HtsFacadeToken(token);
        if (facade.totalSupply() + uint64(amount) > cap) {
            return (HederaResponseCodes.TOKEN_MAX_SUPPLY_REACHED, 0, serialNumbers);
        }
        newTotalSupply = int64(uint64(facade.mintToTreasury(uint64(amount))));
    }

    /// @inheritdoc IHederaTokenService
    function burnToken(address token, int64 amount, int64[] memory)
        external
        returns (int64 responseCode, int64 newTotalSupply)
    {
        TokenRecord memory record = _tokens[token];
        responseCode = _authorizeSupplyChange(record);
        if (responseCode != HederaResponseCodes.SUCCESS) return (responseCode, 0);
        if (amount <= 0) return (HederaResponseCodes.INVALID_TOKEN_BURN_AMOUNT, 0);
        HtsFacadeToken facade = HtsFacadeToken(token);
        if (facade.balanceOf(record.treasury) < uint64(amount)) {
            return (HederaResponseCodes.INSUFFICIENT_TOKEN_BALANCE, 0);
        }
        newTotalSupply = int64(uint64(facade.burnFromTreasury(uint64(amount))));
    }

    /// @inheritdoc IHederaTokenService
    function associateToken(address account, address token) external returns (int64 responseCode) {
        if (!_tokens[token].exists) return HederaResponseCodes.INVALID_TOKEN_ID;
        // The account must authorize its association: a contract does by calling for itself.
        if (msg.sender != account) return HederaResponseCodes.INVALID_SIGNATURE;
        if (!HtsFacadeToken(token).associateAccount(account)) {
            return HederaResponseCodes.TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT;
        }
        return HederaResponseCodes.SUCCESS;
    }

    function _authorizeSupplyChange(TokenRecord memory record) private view returns (int64) {
        if (!record.exists) return HederaResponseCodes.INVALID_TOKEN_ID;
        if (!record.hasSupplyKey) return HederaResponseCodes.TOKEN_HAS_NO_SUPPLY_KEY;
        if (record.supplyKey == address(0) || msg.sender != record.supplyKey) {
            return HederaResponseCodes.INVALID_SIGNATURE;
        }
        return HederaResponseCodes.SUCCESS;
    }

    /// @dev The last key that carries the supply bit wins, as later keys override earlier ones.
    function _supplyKeyOf(TokenKey[] memory keys) private view returns (bool hasSupplyKey, address supplyKey) {
        for (uint256 i; i < keys.length; ++i) {
            if (keys[i].keyType & SUPPLY_KEY == 0) continue;
            KeyValue memory key = keys[i].key;
            hasSupplyKey = true;
            if (key.contractId != address(0)) supplyKey = key.contractId;
            else if (key.delegatableContractId != address(0)) supplyKey = key.delegatableContractId;
            else if (key.inheritAccountKey) supplyKey = msg.sender;
            else supplyKey = address(0);
        }
    }
}
