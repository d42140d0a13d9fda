/** XML namespaces Wirefeed's feeds use beyond Atom and the RSS modules, each declared on the root that uses it. */

/** The Atom change elements (`wf:seq`, `wf:change`, `wf:id`): a tag URI, so it names nothing that could move. */
export const CHANGES_NAMESPACE = 'tag:wirefeed,2026:changes';

/** RFC 5005 (Feed Paging and Archiving): `fh:archive` marks an archive document. */
export const HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0';

/** RFC 6721 (Atom tombstones): `at:deleted-entry`. */
export const TOMBSTONES_NAMESPACE = 'http://purl.org/atompub/tombstones/1.0';

/** DCMI terms: `dcterms:valid` and `dcterms:modified` on the RSS item that stands for a gone entry. */
export const DCTERMS_NAMESPACE = 'http://purl.org/dc/terms/';
