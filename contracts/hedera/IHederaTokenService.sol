// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title The subset of Hedera's token service system contract (0x167) that JuaPesa uses
/// @notice Signatures and struct layouts follow hashgraph/hedera-smart-contracts
/// (contracts/system-contracts/hedera-token-service/IHederaTokenService.sol), so calldata built against
/// this file is what the network decodes. Every call returns a Hedera response code; 22 is SUCCESS
/// (see HederaResponseCodes). A failed call returns its code rather than reverting, so callers must check it.
interface IHederaTokenService {
    /// @param second Epoch second at which the token expires.
    /// @param autoRenewAccount Account charged to renew the token, as a Solidity address.
    /// @param autoRenewPeriod Seconds between renewals.
    struct Expiry {
        int64 second;
        address autoRenewAccount;
        int64 autoRenewPeriod;
    }

    /// @notice Exactly one field should be set. A contract id key authorizes calls whose frame runs that
    /// contract's code; a delegatable contract id key authorizes calls from that address even under
    /// delegatecall.
    struct KeyValue {
        bool inheritAccountKey;
        address contractId;
        bytes ed25519;
        bytes ECDSA_secp256k1;
        address delegatableContractId;
    }

    /// @param keyType Bit flags of the key roles this key takes: admin 1, KYC 2, freeze 4, wipe 8,
    /// supply 16, fee schedule 32, pause 64.
    struct TokenKey {
        uint256 keyType;
        KeyValue key;
    }

    /// @param treasury Receives the initial supply and every mint; burns come out of it.
    /// @param tokenSupplyType false = infinite, true = finite (capped at maxSupply).
    struct HederaToken {
        string name;
        string symbol;
        address treasury;
        string memo;
        bool tokenSupplyType;
        int64 maxSupply;
        bool freezeDefault;
        TokenKey[] tokenKeys;
        Expiry expiry;
    }

    /// @notice Mints `amount` to the token's treasury. The caller must hold the supply key.
    /// @param metadata Only for non-fungible tokens; empty for fungible ones.
    function mintToken(address token, int64 amount, bytes[] memory metadata)
        external
        returns (int64 responseCode, int64 newTotalSupply, int64[] memory serialNumbers);

    /// @notice Burns `amount` from the token's treasury. The caller must hold the supply key.
    /// @param serialNumbers Only for non-fungible tokens; empty for fungible ones.
    function burnToken(address token, int64 amount, int64[] memory serialNumbers)
        external
        returns (int64 responseCode, int64 newTotalSupply);

    /// @notice Associates `account` with `token`, which it must do before it can hold the token.
    /// `account` must authorize it: a contract associates itself by calling with its own address.
    function associateToken(address account, address token) external returns (int64 responseCode);

    /// @notice Creates a fungible token; its ERC-20 facade lives at `tokenAddress` (HIP-218).
    /// The network charges the creation fee in HBAR from msg.value.
    function createFungibleToken(HederaToken memory token, int64 initialTotalSupply, int32 decimals)
        external
        payable
        returns (int64 responseCode, address tokenAddress);
}

/// @title HIP-719 calls an HTS token's facade offers to msg.sender
/// @notice Layout of hashgraph/hedera-smart-contracts' IHRC719.
interface IHRC719 {
    function associate() external returns (uint256 responseCode);
    function dissociate() external returns (uint256 responseCode);
    function isAssociated() external view returns (bool associated);
}
