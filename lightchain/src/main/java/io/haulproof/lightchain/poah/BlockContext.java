package io.haulproof.lightchain.poah;

/**
 * The whole log a block describes, as an authenticator that runs every rule sees it: its tree
 * ({@link LogTree}) and its entries ({@link LogEntries}). A checker that has only one of them (the
 * chain verifier has only the recomputed roots) takes that view and the rules that read it.
 */
public interface BlockContext extends LogTree, LogEntries {}
