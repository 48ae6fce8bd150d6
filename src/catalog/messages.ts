/**
 * Validation messages by stable code, in English and French. Each says which field is wrong and
 * how to fix it. `{name}` placeholders are filled from the params.
 */

export type Locale = 'en' | 'fr';

export const ERROR_CODES = [
  'required',
  'invalid_type',
  'name_required',
  'name_too_long',
  'description_too_long',
  'kind_invalid',
  'capacity_invalid',
  'location_too_long',
  'images_too_many',
  'image_url_invalid',
  'currency_invalid',
  'metadata_too_many_keys',
  'metadata_key_invalid',
  'metadata_key_reserved',
  'metadata_value_empty',
  'metadata_value_too_long',
  'prices_too_many',
  'prices_multiple_defaults',
  'prices_duplicate',
  'price_id_invalid',
  'pricing_type_invalid',
  'unit_amount_invalid',
  'unit_amount_too_large',
  'recurring_interval_invalid',
  'interval_count_invalid',
  'tax_behavior_invalid',
  'currency_options_currency_invalid',
  'currency_options_same_currency',
  'nickname_too_long',
  'lookup_key_invalid',
  'position_invalid',
  'text_unstorable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type MessageVars = Record<string, string | number>;

export const messages: Readonly<Record<Locale, Readonly<Record<ErrorCode, string>>>> = {
  en: {
    required: '{field} is required: fill it in',
    invalid_type: '{field} must be {expected}: correct the value',
    name_required: 'name is required: type a name for the space',
    name_too_long: 'name must be at most {max} characters: shorten it',
    description_too_long: 'description must be at most {max} characters: shorten it',
    kind_invalid: 'kind must be one of {allowed}: pick one of them',
    capacity_invalid: 'capacity must be a whole number from {min} to {max}: correct it or leave it empty',
    location_too_long: 'location must be at most {max} characters: shorten it',
    images_too_many: 'images can hold at most {max} URLs (Stripe\'s limit): remove some',
    image_url_invalid: 'images must be http(s) URLs of at most {max} characters: correct or remove this one',
    currency_invalid:
      'currency must be a lower-case ISO 4217 code that Stripe supports (such as "eur"): pick one from the list',
    metadata_too_many_keys:
      'metadata can hold at most {max} keys (Stripe allows 50, spacesync reserves the rest): remove some',
    metadata_key_invalid: 'metadata key "{key}" must be 1 to {max} characters without "[" or "]": rename it',
    metadata_key_reserved: 'metadata key "{key}" is reserved by spacesync: rename it',
    metadata_value_empty: 'metadata value of "{key}" is empty: give it a value or remove the key',
    metadata_value_too_long: 'metadata value of "{key}" must be at most {max} characters: shorten it',
    prices_too_many: 'a space can have at most {max} prices: remove some',
    prices_multiple_defaults: 'only one price can be the default: untick is_default on the others',
    prices_duplicate:
      'another active price already has pricing_type "{pricing_type}", currency "{currency}" and the same recurrence: change or deactivate one of them',
    price_id_invalid: 'id must be the uuid of an existing price: leave it out for a new price',
    pricing_type_invalid: 'pricing_type must be one of {allowed}: pick one of them',
    unit_amount_invalid:
      'unit_amount must be a whole number of minor units (cents), 0 or more: enter the amount in minor units',
    unit_amount_too_large: "unit_amount must be at most {max} (Stripe's maximum, in minor units): lower the amount",
    recurring_interval_invalid:
      'recurring_interval must be empty (one-time) or one of {allowed}: pick one of them',
    interval_count_invalid:
      'recurring_interval_count must be a whole number from 1 to {max} for interval "{interval}" (at most one year): lower it',
    tax_behavior_invalid: 'tax_behavior must be one of {allowed}: pick one of them',
    currency_options_currency_invalid:
      'currency_options key "{currency}" is not a lower-case currency code Stripe supports: pick one from the list',
    currency_options_same_currency:
      'currency_options cannot repeat the price\'s own currency "{currency}": remove it',
    nickname_too_long: 'nickname must be at most {max} characters: shorten it',
    lookup_key_invalid: 'lookup_key must be 1 to {max} characters: shorten it or leave it out for the default',
    position_invalid: 'position must be a whole number from 0 to {max}: correct it',
    text_unstorable:
      '{field} contains a NUL character or an unpaired surrogate, which cannot be stored: remove it',
  },
  fr: {
    required: 'Le champ {field} est obligatoire : renseignez-le',
    invalid_type: 'Le champ {field} doit être {expected} : corrigez la valeur',
    name_required: "Le nom est obligatoire : saisissez un nom pour l'espace",
    name_too_long: 'Le nom ne doit pas dépasser {max} caractères : raccourcissez-le',
    description_too_long: 'La description ne doit pas dépasser {max} caractères : raccourcissez-la',
    kind_invalid: "Le type d'espace doit être l'un de : {allowed}. Choisissez-en un",
    capacity_invalid:
      'La capacité doit être un nombre entier entre {min} et {max} : corrigez-la ou laissez le champ vide',
    location_too_long: "L'emplacement ne doit pas dépasser {max} caractères : raccourcissez-le",
    images_too_many: 'Vous pouvez ajouter au plus {max} images (limite de Stripe) : retirez-en',
    image_url_invalid:
      "Chaque image doit être une URL http(s) d'au plus {max} caractères : corrigez ou supprimez celle-ci",
    currency_invalid:
      'La devise doit être un code ISO 4217 en minuscules accepté par Stripe (par exemple « eur ») : choisissez-la dans la liste',
    metadata_too_many_keys:
      'Les métadonnées sont limitées à {max} clés (Stripe en autorise 50, spacesync réserve les autres) : supprimez-en',
    metadata_key_invalid:
      'La clé de métadonnée « {key} » doit faire de 1 à {max} caractères, sans « [ » ni « ] » : renommez-la',
    metadata_key_reserved: 'La clé de métadonnée « {key} » est réservée par spacesync : renommez-la',
    metadata_value_empty: 'La métadonnée « {key} » est vide : donnez-lui une valeur ou supprimez la clé',
    metadata_value_too_long:
      'La valeur de la métadonnée « {key} » ne doit pas dépasser {max} caractères : raccourcissez-la',
    prices_too_many: 'Un espace peut avoir au plus {max} tarifs : supprimez-en',
    prices_multiple_defaults: 'Un seul tarif peut être le tarif par défaut : décochez « par défaut » sur les autres',
    prices_duplicate:
      'Un autre tarif actif a déjà le type « {pricing_type} », la devise « {currency} » et la même récurrence : modifiez ou désactivez l\'un des deux',
    price_id_invalid: "L'identifiant doit être l'uuid d'un tarif existant : laissez-le vide pour un nouveau tarif",
    pricing_type_invalid: 'Le type de tarif doit être l\'un de : {allowed}. Choisissez-en un',
    unit_amount_invalid:
      'Le montant doit être un nombre entier de centimes (unité mineure), positif ou nul : saisissez-le en centimes',
    unit_amount_too_large:
      'Le montant ne doit pas dépasser {max} (maximum de Stripe, en centimes) : diminuez-le',
    recurring_interval_invalid:
      "La périodicité doit être vide (paiement unique) ou l'une de : {allowed}. Choisissez-en une",
    interval_count_invalid:
      'Le nombre de périodes doit être un entier de 1 à {max} pour la périodicité « {interval} » (un an au plus) : diminuez-le',
    tax_behavior_invalid: "Le traitement de la TVA doit être l'un de : {allowed}. Choisissez-en un",
    currency_options_currency_invalid:
      "La devise supplémentaire « {currency} » n'est pas un code en minuscules accepté par Stripe : choisissez-la dans la liste",
    currency_options_same_currency:
      'Les devises supplémentaires ne peuvent pas reprendre la devise du tarif « {currency} » : supprimez-la',
    nickname_too_long: 'Le libellé interne ne doit pas dépasser {max} caractères : raccourcissez-le',
    lookup_key_invalid:
      'La clé de recherche (lookup_key) doit faire de 1 à {max} caractères : raccourcissez-la ou laissez-la vide',
    position_invalid: 'La position doit être un nombre entier de 0 à {max} : corrigez-la',
    text_unstorable:
      'Le champ {field} contient un caractère NUL ou un demi-caractère (surrogate) isolé, impossible à enregistrer : supprimez-le',
  },
};

const EXPECTED: Readonly<Record<Locale, Readonly<Record<string, string>>>> = {
  en: { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object', record: 'an object' },
  fr: { string: 'un texte', number: 'un nombre', int: 'un nombre entier', boolean: 'vrai ou faux', array: 'une liste', object: 'un objet', record: 'un objet' },
};

const INTERVALS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = {
  en: {},
  fr: { day: 'jour', week: 'semaine', month: 'mois', year: 'an', 'one-time': 'paiement unique' },
};

/** The message of `code` in `locale`, placeholders filled from `vars`. */
export function formatMessage(code: ErrorCode, vars: MessageVars = {}, locale: Locale = 'en'): string {
  const template = messages[locale][code] ?? messages.en[code];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    if (name === 'expected') return EXPECTED[locale][String(value)] ?? String(value);
    if (name === 'interval') return INTERVALS[locale][String(value)] ?? String(value);
    return String(value);
  });
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
