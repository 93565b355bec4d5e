/**
 * Compact exact structures adoption's ledger keeps its state in (docs/adr/0007): a dictionary of
 * user ids, primitive maps of latest times. General-purpose collections, like the RoaringBitmaps
 * beside them, with the Jackson annotations that save them; the ledger in {@code domain} uses them
 * and stays free of frameworks itself. Only adoption uses them, so they live here.
 */
package dev.northstar.adoption.compact;
