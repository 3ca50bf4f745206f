/**
 * Kiswahili, in the words people already read on M-Pesa menus: "Tuma pesa", "Toa pesa", "Salio",
 * "Weka PIN", "Thibitisha", "Akaunti yangu". "Kumb." (kumbukumbu) is the reference, as on receipts.
 */
import type { Catalog } from "./catalog.js";

export const sw: Catalog = {
  lang: "sw",
  languageName: "Kiswahili",

  nav: { backHome: "0 Rudi 00 Mwanzo", more: "98 Zaidi" },

  options: {
    confirm: "Thibitisha",
    accept: "Kubali",
    decline: "Kataa",
    pay: "Lipa",
    invite: "Mwalike kwa SMS",
    resume: "Endelea ulipoishia",
    startAgain: "Anza upya",
  },

  welcome: "Karibu JuaPesa. Chagua lugha:",
  chooseLanguage: "Chagua lugha:",

  register: {
    pin: "Chagua PIN ya tarakimu 4 hadi 6. Usimwambie mtu yeyote.",
    pinAgain: "Weka PIN tena:",
    terms: "Masharti ya JuaPesa: nambari yako inabaki siri na kutuma pesa kati ya akaunti za JuaPesa ni bure. Masharti yote: juapesa.africa/masharti",
    declined: "Lazima ukubali masharti ili kufungua akaunti. Piga tena wakati wowote.",
    sanctioned: "Hatuwezi kufungua akaunti kwa nambari hii. Tafadhali wasiliana na huduma kwa wateja wa JuaPesa.",
    unsupportedCountry: "JuaPesa bado haipatikani katika nchi yako.",
  },

  home: {
    title: "JuaPesa",
    send: "Tuma pesa",
    receive: "Pokea pesa",
    convert: "Badilisha sarafu",
    cashIn: "Weka pesa",
    cashOut: "Toa pesa",
    balance: "Salio",
    account: "Akaunti yangu",
  },

  send: {
    to: "Weka nambari ya simu ya mpokeaji:",
    notOnJuaPesa: (p) => `${p.to} bado hayupo kwenye JuaPesa.`,
    invited: (p) => `Tumemtumia ${p.to} mwaliko kwa SMS. Utaweza kutuma akijiunga.`,
    amount: (p) => `Weka kiasi cha kutuma kwa ${p.to}:`,
    asset: (p) => `Chagua sarafu ya kutuma ${p.amount}:`,
    confirm: (p) => `Tuma ${p.amount} kwa ${p.to}\nAda: 0 (bure kati ya akaunti za JuaPesa)`,
    pin: (p) => `Weka PIN kutuma ${p.amount} kwa ${p.to}:`,
    done: (p) => `Umetuma ${p.amount} kwa ${p.to}. Kumb. ${p.ref}. Utapokea SMS ya uthibitisho.`,
    pending: (p) => `Kutuma ${p.amount} kwa ${p.to} kunaendelea. Utapokea SMS ya uthibitisho.`,
    refused: (p) => `Haijatumwa. ${p.reason} Hakuna pesa iliyokatwa.`,
  },

  receive: {
    title: "Pokea pesa",
    myNumber: "Nambari yangu",
    requests: (p) => `Maombi kwangu (${p.count})`,
    ask: "Omba pesa",
    number: (p) => `Nambari yako ya JuaPesa ni ${p.phone}. Mpe mtu ili akutumie pesa.`,
    list: "Maombi ya pesa kwako:",
    item: (p) => `${p.amount} kutoka ${p.from}`,
    request: (p) => `${p.from} anakuomba ${p.amount}.`,
    payPin: (p) => `Weka PIN kulipa ${p.amount} kwa ${p.to}:`,
    declined: (p) => `Umekataa ombi la ${p.from}.`,
    askFrom: "Weka nambari ya simu ya unayemwomba pesa:",
    askAmount: (p) => `Weka kiasi cha kuomba kutoka kwa ${p.from}:`,
    askAsset: (p) => `Chagua sarafu ya kuomba ${p.amount}:`,
    asked: (p) => `Tumemwomba ${p.from} ${p.amount} kwa SMS. Utapokea SMS akilipa.`,
  },

  convert: {
    from: "Badilisha kutoka:",
    to: (p) => `Badilisha ${p.from} kuwa:`,
    amount: (p) => `Weka kiasi cha ${p.from} cha kubadilisha kuwa ${p.to}:`,
    confirm: (p) => `Badilisha ${p.amountIn}\nUtapata takriban ${p.amountOut}\nAngalau ${p.min}\nAda: ${p.fee}`,
    pin: (p) => `Weka PIN kubadilisha ${p.amountIn} kuwa ${p.to}:`,
    done: (p) => `Umebadilisha ${p.amountIn} kuwa ${p.amountOut}. Utapokea SMS ya uthibitisho.`,
    pending: "Ubadilishaji wako unaendelea. Utapokea SMS ya uthibitisho.",
    refused: (p) => `Haijabadilishwa. ${p.reason} Hakuna pesa iliyokatwa.`,
  },

  cashIn: {
    rail: "Chagua huduma yako ya pesa kwa simu:",
    amount: (p) => `Weka kiasi cha ${p.currency} cha kuweka kutoka ${p.rail}:`,
    confirm: (p) => `Weka ${p.fiat} kutoka ${p.rail}\nUtapata takriban ${p.amount}`,
    confirmPlain: (p) => `Weka ${p.fiat} kutoka ${p.rail}`,
    requested: (p) => `Angalia simu yako na ukubali ombi la ${p.rail} kwa PIN yako ya ${p.rail}. Utapokea SMS ya uthibitisho.`,
    done: (p) => `${p.fiat} zimewekwa kwenye akaunti yako ya JuaPesa.`,
    refused: (p) => `Hakuna pesa iliyowekwa. ${p.reason}`,
  },

  cashOut: {
    amount: (p) => `Weka kiasi cha kutoa kwenda ${p.rail}:`,
    asset: (p) => `Chagua sarafu ya kutoa ${p.amount}:`,
    confirm: (p) => `Toa ${p.amount} kwenda ${p.rail} ${p.phone}\nUtapata takriban ${p.fiat}`,
    confirmPlain: (p) => `Toa ${p.amount} kwenda ${p.rail} ${p.phone}`,
    pin: (p) => `Weka PIN kutoa ${p.amount}:`,
    requested: (p) => `${p.amount} zinatumwa kwa ${p.rail} yako. Utapokea SMS ya uthibitisho.`,
    refused: (p) => `Haijatolewa. ${p.reason} Hakuna pesa iliyokatwa.`,
  },

  balance: {
    pin: "Weka PIN kuona salio lako:",
    title: "Salio lako:",
  },

  account: {
    title: "Akaunti yangu",
    changePin: "Badilisha PIN",
    language: "Lugha",
    oldPin: "Weka PIN yako ya sasa:",
    newPin: "Weka PIN mpya ya tarakimu 4 hadi 6:",
    newPinAgain: "Weka PIN mpya tena:",
    pinChanged: "PIN yako imebadilishwa. Tumia PIN mpya kuanzia sasa.",
  },

  pin: {
    locked: (p) => `Umekosea PIN mara nyingi. Akaunti yako imefungwa kwa dakika ${p.minutes}.`,
  },

  session: {
    busy: "Kuna kipindi kingine cha JuaPesa kwenye simu yako. Kimalize, au piga tena baada ya dakika moja.",
    mismatch: "Kipindi hiki hakilingani na nambari yako ya simu. Tafadhali piga tena.",
    resume: "Kipindi chako kilichopita kilikatika.",
    ended: "Kipindi hiki kimekwisha. Tafadhali piga tena.",
    unavailable: "JuaPesa haipatikani kwa sasa. Tafadhali jaribu tena baada ya dakika chache.",
    blocked: "Akaunti yako imezuiwa. Tafadhali wasiliana na huduma kwa wateja wa JuaPesa.",
  },

  notices: {
    invalidChoice: "Chaguo si sahihi.",
    invalidPhone: "Nambari hiyo si sahihi.",
    ownNumber: "Hiyo ni nambari yako mwenyewe.",
    cannotSendTo: "Huwezi kutuma kwa nambari hii.",
    notRegistered: (p) => `${p.to} hayupo kwenye JuaPesa.`,
    amountFormat: "Tumia tarakimu tu, mfano 1500 au 25.50",
    amountNegative: "Kiasi hakiwezi kuwa hasi.",
    amountZero: "Kiasi lazima kiwe zaidi ya 0.",
    amountDecimals: "Tumia desimali 6 au chache.",
    amountTooLarge: "Kiasi hicho ni kikubwa mno.",
    fiatWhole: "Weka kiasi kamili bila desimali.",
    overSingle: (p) => `Kiwango cha juu kwa muamala ni ${p.max}.`,
    overDaily: (p) => `Kikomo chako kilichobaki leo ni ${p.left}.`,
    pinFormat: "PIN ina tarakimu 4 hadi 6.",
    pinMismatch: "PIN hazilingani. Jaribu tena.",
    pinWeak: "PIN hiyo ni rahisi kukisia. Chagua nyingine.",
    pinSame: "Chagua PIN tofauti na ya sasa.",
    pinWrong: ({ attemptsLeft }) =>
      attemptsLeft === 1 ? "PIN si sahihi. Umebakiza jaribio 1." : `PIN si sahihi. Umebakiza majaribio ${attemptsLeft}.`,
    pinAgain: "Tafadhali weka PIN yako tena.",
    noRequests: "Huna maombi ya pesa.",
    languageSet: "Lugha: Kiswahili.",
    accountOpened: "Akaunti yako imefunguliwa.",
    quoteUnavailable: "Bei haipatikani sasa. Jaribu tena baadaye.",
    welcomeBack: "Karibu tena.",
  },

  reasons: {
    "insufficient-balance": "Salio lako halitoshi.",
    "limit-single": "Kiasi kinazidi kikomo chako kwa muamala mmoja.",
    "limit-daily": "Umefikia kikomo chako cha siku.",
    "limit-balance": "Kikomo cha salio kingepitwa.",
    "account-frozen": "Akaunti imezuiwa. Wasiliana na huduma kwa wateja.",
    "account-not-open": "Akaunti bado haijafunguliwa.",
    "self-transfer": "Huwezi kujitumia pesa.",
    slippage: "Bei imebadilika sana. Tafadhali jaribu tena.",
    "market-halted": "Biashara imesimamishwa kwa muda. Jaribu baadaye.",
    "pool-limit": "Hakuna akiba ya kutosha sasa. Jaribu kiasi kidogo.",
    compliance: "Muamala huu hauruhusiwi. Wasiliana na huduma kwa wateja.",
    "invalid-statement": "Hitilafu imetokea. Jaribu tena baadaye.",
    unknown: "Hitilafu imetokea. Jaribu tena baadaye.",
    "rail-failed": "Malipo ya pesa kwa simu hayakufanikiwa.",
    "unsupported-rail": "Huduma hii ya pesa kwa simu haipatikani.",
  },

  sms: {
    sent: (p) => `JuaPesa: umetuma ${p.amount} kwa ${p.to}. Kumb. ${p.ref}.`,
    received: (p) => `JuaPesa: umepokea ${p.amount} kutoka ${p.from}. Kumb. ${p.ref}. Piga ${p.code} kuzitumia.`,
    sendFailed: (p) => `JuaPesa: kutuma ${p.amount} kwa ${p.to} hakukufanikiwa. Hakuna pesa iliyokatwa.`,
    converted: (p) => `JuaPesa: umebadilisha ${p.amountIn} kuwa ${p.amountOut}. Kumb. ${p.ref}.`,
    convertFailed: (p) => `JuaPesa: kubadilisha ${p.amountIn} hakukufanikiwa. Hakuna pesa iliyokatwa.`,
    invite: (p) => `${p.from} anataka kukutumia pesa kwa JuaPesa. Piga ${p.code} kufungua akaunti bure.`,
    request: (p) => `JuaPesa: ${p.from} anakuomba ${p.amount}. Piga ${p.code} uchague 2 Pokea pesa ili kulipa.`,
  },
};
