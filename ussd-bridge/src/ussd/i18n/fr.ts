/**
 * French, in the words of Orange Money menus: "Transfert d'argent", "Retrait", "Solde", "Code
 * secret", "Confirmer", "Mon compte".
 *
 * Written in the GSM 03.38 alphabet, which has é è à ù É Ç but not ê â ô î û ç: so "Francais",
 * "Recharger" (not "Dépôt"), "Frais" (not "coût"), and sentences turned to avoid "être" and "reçu"
 * rather than misspelt. A gateway would otherwise swap those letters for "?" or switch the screen
 * to UCS-2 and halve its room.
 */
import type { Catalog } from "./catalog.js";

export const fr: Catalog = {
  lang: "fr",
  languageName: "Francais",

  nav: { backHome: "0 Retour 00 Accueil", more: "98 Suite" },

  options: {
    confirm: "Confirmer",
    accept: "Accepter",
    decline: "Refuser",
    pay: "Payer",
    invite: "L'inviter par SMS",
    resume: "Reprendre où vous en étiez",
    startAgain: "Recommencer",
  },

  welcome: "Bienvenue sur JuaPesa. Choisissez votre langue :",
  chooseLanguage: "Choisissez votre langue :",

  register: {
    pin: "Choisissez un code secret de 4 à 6 chiffres. Ne le donnez à personne.",
    pinAgain: "Saisissez à nouveau le code secret :",
    terms: "Conditions JuaPesa : votre numéro reste privé et les transferts entre comptes JuaPesa sont gratuits. Détails : juapesa.africa/cgu",
    declined: "Vous devez accepter les conditions pour ouvrir un compte. Rappelez quand vous voulez.",
    sanctioned: "Nous ne pouvons pas ouvrir de compte pour ce numéro. Contactez le service client JuaPesa.",
    unsupportedCountry: "JuaPesa n'est pas encore disponible dans votre pays.",
  },

  home: {
    title: "JuaPesa",
    send: "Transfert d'argent",
    receive: "Recevoir",
    convert: "Convertir",
    cashIn: "Recharger",
    cashOut: "Retrait",
    balance: "Solde",
    account: "Mon compte",
  },

  send: {
    to: "Numéro du bénéficiaire :",
    notOnJuaPesa: (p) => `${p.to} n'a pas encore de compte JuaPesa.`,
    invited: (p) => `Invitation envoyée par SMS à ${p.to}. Vous pourrez envoyer après son inscription.`,
    amount: (p) => `Montant à envoyer à ${p.to} :`,
    asset: (p) => `Envoyer ${p.amount} en :`,
    confirm: (p) => `Envoyer ${p.amount} à ${p.to}\nFrais : 0 (gratuit entre comptes JuaPesa)`,
    pin: (p) => `Code secret pour envoyer ${p.amount} à ${p.to} :`,
    done: (p) => `Transfert de ${p.amount} à ${p.to} effectué. Réf. ${p.ref}. Un SMS le confirme.`,
    pending: (p) => `Transfert de ${p.amount} à ${p.to} en cours. Un SMS le confirmera.`,
    refused: (p) => `Transfert non effectué. ${p.reason} Aucun montant débité.`,
  },

  receive: {
    title: "Recevoir de l'argent",
    myNumber: "Mon numéro",
    requests: (p) => `Demandes à payer (${p.count})`,
    ask: "Demander de l'argent",
    number: (p) => `Votre numéro JuaPesa est le ${p.phone}. Donnez-le pour recevoir de l'argent.`,
    list: "Demandes à payer :",
    item: (p) => `${p.amount} de ${p.from}`,
    request: (p) => `${p.from} vous demande ${p.amount}.`,
    payPin: (p) => `Code secret pour payer ${p.amount} à ${p.to} :`,
    declined: (p) => `Vous avez refusé la demande de ${p.from}.`,
    askFrom: "Numéro de la personne à qui demander :",
    askAmount: (p) => `Montant à demander à ${p.from} :`,
    askAsset: (p) => `Demander ${p.amount} en :`,
    asked: (p) => `Demande de ${p.amount} envoyée par SMS à ${p.from}. Vous aurez un SMS après son paiement.`,
  },

  convert: {
    from: "Convertir depuis :",
    to: (p) => `Convertir ${p.from} en :`,
    amount: (p) => `Montant en ${p.from} à convertir en ${p.to} :`,
    confirm: (p) => `Convertir ${p.amountIn}\nVous recevez env. ${p.amountOut}\nAu moins ${p.min}\nFrais : ${p.fee}`,
    pin: (p) => `Code secret pour convertir ${p.amountIn} en ${p.to} :`,
    done: (p) => `Conversion effectuée : ${p.amountIn} en ${p.amountOut}. Un SMS la confirme.`,
    pending: "Conversion en cours. Un SMS la confirmera.",
    refused: (p) => `Conversion non effectuée. ${p.reason} Aucun montant débité.`,
  },

  cashIn: {
    rail: "Choisissez votre Mobile Money :",
    amount: (p) => `Montant en ${p.currency} à prélever sur ${p.rail} :`,
    confirm: (p) => `Recharger ${p.fiat} depuis ${p.rail}\nVous recevez env. ${p.amount}`,
    confirmPlain: (p) => `Recharger ${p.fiat} depuis ${p.rail}`,
    requested: (p) => `Validez la demande ${p.rail} sur votre téléphone avec votre code ${p.rail}. Un SMS confirmera.`,
    done: (p) => `${p.fiat} ajoutés à votre compte JuaPesa.`,
    refused: (p) => `Recharge non effectuée. ${p.reason}`,
  },

  cashOut: {
    amount: (p) => `Montant à retirer vers ${p.rail} :`,
    asset: (p) => `Retirer ${p.amount} en :`,
    confirm: (p) => `Retirer ${p.amount} vers ${p.rail} ${p.phone}\nVous recevez env. ${p.fiat}`,
    confirmPlain: (p) => `Retirer ${p.amount} vers ${p.rail} ${p.phone}`,
    pin: (p) => `Code secret pour retirer ${p.amount} :`,
    requested: (p) => `Retrait de ${p.amount} vers votre ${p.rail} en cours. Un SMS confirmera.`,
    refused: (p) => `Retrait non effectué. ${p.reason} Aucun montant débité.`,
  },

  balance: {
    pin: "Code secret pour voir votre solde :",
    title: "Votre solde :",
  },

  account: {
    title: "Mon compte",
    changePin: "Changer le code secret",
    language: "Langue",
    oldPin: "Code secret actuel :",
    newPin: "Nouveau code secret (4 à 6 chiffres) :",
    newPinAgain: "Confirmez le nouveau code secret :",
    pinChanged: "Votre code secret a été changé. Utilisez le nouveau code désormais.",
  },

  pin: {
    locked: (p) => `Trop de codes erronés. Votre compte est bloqué pendant ${p.minutes} minutes.`,
  },

  session: {
    busy: "Une autre session JuaPesa est ouverte sur votre téléphone. Terminez-la ou rappelez dans une minute.",
    mismatch: "Cette session ne correspond pas à votre numéro. Veuillez rappeler.",
    resume: "Votre dernière session a été coupée.",
    ended: "Cette session est terminée. Veuillez rappeler.",
    unavailable: "JuaPesa est indisponible pour le moment. Réessayez dans quelques minutes.",
    blocked: "Votre compte est bloqué. Contactez le service client JuaPesa.",
  },

  notices: {
    invalidChoice: "Choix invalide.",
    invalidPhone: "Ce numéro n'est pas valide.",
    ownNumber: "C'est votre propre numéro.",
    cannotSendTo: "Envoi impossible vers ce numéro.",
    notRegistered: (p) => `${p.to} n'a pas de compte JuaPesa.`,
    amountFormat: "Chiffres uniquement, par ex. 1500 ou 25,50",
    amountNegative: "Montant négatif refusé.",
    amountZero: "Le montant doit dépasser 0.",
    amountDecimals: "6 décimales au maximum.",
    amountTooLarge: "Montant trop élevé.",
    fiatWhole: "Montant entier uniquement, sans décimales.",
    overSingle: (p) => `Maximum par opération : ${p.max}.`,
    overDaily: (p) => `Plafond restant aujourd'hui : ${p.left}.`,
    pinFormat: "Le code secret a 4 à 6 chiffres.",
    pinMismatch: "Les codes ne correspondent pas. Réessayez.",
    pinWeak: "Code trop facile à deviner. Choisissez-en un autre.",
    pinSame: "Choisissez un code différent de l'actuel.",
    pinWrong: ({ attemptsLeft }) =>
      attemptsLeft === 1 ? "Code secret erroné. Il reste 1 essai." : `Code secret erroné. Il reste ${attemptsLeft} essais.`,
    pinAgain: "Veuillez saisir à nouveau votre code secret.",
    noRequests: "Aucune demande en attente.",
    languageSet: "Langue : Francais.",
    accountOpened: "Votre compte est ouvert.",
    quoteUnavailable: "Taux indisponible. Réessayez plus tard.",
    welcomeBack: "Reprise de votre session.",
  },

  reasons: {
    "insufficient-balance": "Solde insuffisant.",
    "limit-single": "Montant supérieur à votre plafond par opération.",
    "limit-daily": "Plafond journalier atteint.",
    "limit-balance": "Un plafond de solde serait dépassé.",
    "account-frozen": "Compte bloqué. Contactez le service client.",
    "account-not-open": "Le compte n'est pas encore ouvert.",
    "self-transfer": "Vous ne pouvez pas vous envoyer de l'argent.",
    slippage: "Le taux a trop changé. Réessayez.",
    "market-halted": "Marché suspendu. Réessayez plus tard.",
    "pool-limit": "Liquidité insuffisante. Essayez un montant plus petit.",
    compliance: "Opération non autorisée. Contactez le service client.",
    "invalid-statement": "Une erreur est survenue. Réessayez plus tard.",
    unknown: "Une erreur est survenue. Réessayez plus tard.",
    "rail-failed": "Le paiement Mobile Money a échoué.",
    "unsupported-rail": "Ce service Mobile Money n'est pas disponible.",
  },

  sms: {
    sent: (p) => `JuaPesa : vous avez envoyé ${p.amount} à ${p.to}. Réf. ${p.ref}.`,
    received: (p) => `JuaPesa : ${p.from} vous a envoyé ${p.amount}. Réf. ${p.ref}. Composez ${p.code} pour l'utiliser.`,
    sendFailed: (p) => `JuaPesa : votre transfert de ${p.amount} à ${p.to} a échoué. Aucun montant débité.`,
    converted: (p) => `JuaPesa : conversion de ${p.amountIn} en ${p.amountOut} effectuée. Réf. ${p.ref}.`,
    convertFailed: (p) => `JuaPesa : la conversion de ${p.amountIn} a échoué. Aucun montant débité.`,
    invite: (p) => `${p.from} veut vous envoyer de l'argent avec JuaPesa. Composez ${p.code} pour ouvrir un compte gratuit.`,
    request: (p) => `JuaPesa : ${p.from} vous demande ${p.amount}. Composez ${p.code} puis 2 Recevoir pour payer.`,
  },
};
