// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAttestedToken} from "./IAttestedToken.sol";

/// @title Attested issuer of a Hedera Token Service (HTS) token
/// @notice Plays {IAttestedToken}'s role for a fungible HTS token, whose ERC-20 facade (HIP-218) lives at
/// the token's own address and whose supply only the token service at 0x167 changes. The issuer must be
/// the token's treasury and hold its supply key. Its attested asset id is the issuer's address, not the
/// token's: the ledger lets only `change.asset` consume a statement, and only the issuer calls the ledger.
/// So reserve reports and supply changes for an HTS token name its issuer as their asset.
///
/// A mint is verified exactly as AttestedToken verifies it (kind, asset, holder, supply after the mint
/// within the latest fresh reserve, using the HTS token's total supply), then minted through 0x167 into
/// the issuer as treasury and sent to the holder through the facade; the holder must be associated with
/// the token. A burn pulls the holder's tokens into the treasury with transferFrom (the holder approves
/// the issuer first) and burns them through 0x167. The treasury is associated by the network at token
/// creation, so the issuer never associates itself.
///
/// Pausing stops mints and burns only; transfers of an HTS token are the network's, paused only with
/// the token's own pause key.
interface IHtsIssuer is IAttestedToken {
    event TokenSet(address indexed token);

    error ZeroAddress();
    error TokenAlreadySet(address token);
    error TokenNotSet();
    /// @notice After the mint the issuer's balance was not `expectedBalance`: minted tokens land in the
    /// treasury, so the issuer is not the token's treasury.
    error IssuerNotTreasury(uint256 expectedBalance, uint256 balance);
    /// @notice HTS amounts are int64.
    error AmountExceedsHtsLimit(uint256 amount);

    /// @notice Names the HTS token, once. Admin role. A token's treasury must exist before the token, so
    /// the issuer is deployed first, the token created with the issuer as treasury and supply key, then set.
    function setToken(address token) external;

    /// @notice The HTS token's address (its ERC-20 facade), or 0 before `setToken`.
    function token() external view returns (address);

    /// @notice The HTS token's total supply (0 before `setToken`); lets the ledger flag a reserve below supply.
    function totalSupply() external view returns (uint256);
}
