/**
 * The commit feed (DESIGN.md section 2, "The commit feed"): execution publishes the receipts of
 * each executed commit ({@link dev.agentledger.node.feed.FeedCommit}: tx id and execution code per
 * transaction, in commit order) once the commit is durable; clients subscribe and learn of commits
 * from it instead of polling.
 *
 * <ul>
 *   <li>{@link dev.agentledger.node.feed.CommitFeed}: subscriptions from any commit sequence
 *       (catch-up from the durable query store, then live with no gap or repeat at the switch), one
 *       bounded buffer per subscriber, a slow subscriber dropped with a reason, never a blocked
 *       publisher; one agent serves every subscription.
 *   <li>{@link dev.agentledger.node.feed.FeedFilter}: every receipt, or those of a set of agent
 *       keys (the record's signer, matched in place).
 *   <li>{@link dev.agentledger.node.feed.FeedSink}: where receipts go; {@link
 *       dev.agentledger.node.feed.ClientFeedSink} writes client-port FEED / FEED_END frames ({@code
 *       net.Wire}); the HTTP server's sink writes {@link dev.agentledger.node.feed.FeedJson}
 *       Server-Sent Events.
 * </ul>
 */
package dev.agentledger.node.feed;
