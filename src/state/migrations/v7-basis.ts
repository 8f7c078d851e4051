/**
 * Version 7: each link may name the inputs its values were last mapped
 * from (`basis`: a hash of the item, the mapping and what resolving read). A
 * run whose inputs for a record hash the same knows the record's values
 * without mapping it again. Links written before have none: mapped once more.
 */
export const V7_SQL = `ALTER TABLE link_rows ADD COLUMN basis BLOB;`;
