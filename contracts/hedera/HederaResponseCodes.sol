// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The Hedera response codes JuaPesa handles or its emulator returns, with the numbers of
/// hashgraph/hedera-smart-contracts' HederaResponseCodes.sol (generated from the network's
/// response_code.proto). Declared int32 as there; system contract calls return them as int64.
library HederaResponseCodes {
    int32 internal constant INVALID_SIGNATURE = 7;
    int32 internal constant UNKNOWN = 21;
    int32 internal constant SUCCESS = 22;
    int32 internal constant INVALID_TOKEN_ID = 167;
    int32 internal constant INVALID_TOKEN_DECIMALS = 168;
    int32 internal constant INVALID_TOKEN_INITIAL_SUPPLY = 169;
    int32 internal constant INVALID_TREASURY_ACCOUNT_FOR_TOKEN = 170;
    int32 internal constant INSUFFICIENT_TOKEN_BALANCE = 178;
    int32 internal constant TOKEN_HAS_NO_SUPPLY_KEY = 180;
    int32 internal constant INVALID_TOKEN_MINT_AMOUNT = 182;
    int32 internal constant INVALID_TOKEN_BURN_AMOUNT = 183;
    int32 internal constant TOKEN_NOT_ASSOCIATED_TO_ACCOUNT = 184;
    int32 internal constant TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT = 194;
    int32 internal constant TRANSACTION_REQUIRES_ZERO_TOKEN_BALANCES = 195;
    int32 internal constant ACCOUNT_IS_TREASURY = 196;
    int32 internal constant INVALID_TOKEN_MAX_SUPPLY = 224;
    int32 internal constant TOKEN_MAX_SUPPLY_REACHED = 236;
    int32 internal constant SPENDER_DOES_NOT_HAVE_ALLOWANCE = 292;
    int32 internal constant AMOUNT_EXCEEDS_ALLOWANCE = 293;
}
