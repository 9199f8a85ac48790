/**
 * A part of the UI's messages in every language. English is the reference: the other languages
 * must have exactly its keys (`NoInfer` keeps them from widening the key set), so a missing,
 * extra or misspelt key fails the typecheck. `{name}` marks a value put in.
 */
export interface Catalogue<K extends string> {
  en: Record<K, string>;
  bg: Record<K, string>;
  sv: Record<K, string>;
}

export const catalogue = <K extends string>(
  en: Record<K, string>,
  others: { bg: NoInfer<Record<K, string>>; sv: NoInfer<Record<K, string>> },
): Catalogue<K> => ({ en, ...others });

export type KeyOf<C> = C extends Catalogue<infer K> ? K : never;
