/** The compact shapes the generator writes (see scripts/generate-catalog.mjs). */

/** [name, type, arg (0 none, 1 required, 2 allowed), argKinds bits, argSyntax bits, flag bits] */
export type RawField = readonly [string, string, number, number, number, number];
/** [class name, origin, fields] */
export type RawClass = readonly [string, string, readonly RawField[]];
/** [plugin, class name, origin, fields] */
export type RawExtractor = readonly [string, string, string, readonly RawField[]];
/** [source, classes in lookup order, optional extractors] */
export type RawSource = readonly [string, readonly RawClass[], readonly RawExtractor[]];

export const ARG_MODES = ['none', 'required', 'allowed'] as const;
export const ARG_KIND_INDEX = 1;
export const ARG_KIND_KEY = 2;
export const ARG_SYNTAX_BRACKET = 1;
export const ARG_SYNTAX_DOT = 2;
export const FLAG_LIST = 1;
export const FLAG_DEPRECATED = 2;
export const FLAG_NO_RHS = 4;
export const FLAG_NO_TRANSFORMER = 8;
export const FLAG_FILTER_ONLY = 16;
