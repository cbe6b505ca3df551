/**
 * How a component of a catalog export is named: the key that sections use to name their sidebar
 * group and card group, and that the import matches against the target catalog. We keep no id
 * that travels between databases (ids differ on every instance, and no column holds a portable
 * key), so the key is the component's identity as an admin sees it:
 *
 *   sidebar group, card group, banner → its title
 *   section                           → its url (a section is the link to one service)
 *
 * When two components of one kind share it, the second in the export's order is `<title> #2`,
 * the third `<title> #3`, and so on (a number already taken is skipped). The export lists
 * components in the order the portal shows them, (order, id), so an exported catalog imported
 * elsewhere gets the same keys there. Changing a key field (a group's title, a section's url) makes
 * a new component: the old one is no longer in the export and is left alone, listed as absent.
 */
import type { CatalogComponentKind } from "./catalog-document.ts";

interface KeyFields {
  sidebar_group: { title: string };
  card_group: { title: string };
  section: { url: string };
  banner: { title: string };
}

const BASE_KEY: { [K in CatalogComponentKind]: (entry: KeyFields[K]) => string } = {
  sidebar_group: (entry) => entry.title,
  card_group: (entry) => entry.title,
  section: (entry) => entry.url,
  banner: (entry) => entry.title,
};

/** The keys of one kind's components, in the order given (the export's order). */
export function componentKeys<K extends CatalogComponentKind>(
  kind: K,
  entries: readonly KeyFields[K][],
): string[] {
  const taken = new Set<string>();
  return entries.map((entry) => {
    const base = BASE_KEY[kind](entry);
    let key = base;
    for (let n = 2; taken.has(key); n += 1) key = `${base} #${n}`;
    taken.add(key);
    return key;
  });
}
