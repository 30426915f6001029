// Where a public page is: the params its address gives it (`:org`, `:token`), and a way to move
// to another address in place (the /help redirect). Set by PublicPages; no router library.
import { createContext, useContext } from 'react';

export interface PublicPlace {
  params: Readonly<Record<string, string>>;
  /** Shows another public address in place of this one (history.replaceState). */
  replace(path: string): void;
}

export const PublicPlaceContext = createContext<PublicPlace>({ params: {}, replace: () => undefined });

export const usePublicPlace = (): PublicPlace => useContext(PublicPlaceContext);

/** The page's params, as its address pattern names them (PublicPages' `PAGES`). */
export function usePageParams<K extends string>(): Readonly<Record<K, string>> {
  return usePublicPlace().params as Readonly<Record<K, string>>;
}
