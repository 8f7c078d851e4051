/** How deep a client's chain of round trips went, and how many it kept in flight at once. */
export interface RoundTripShape {
  /** The longest chain of requests each sent after the one before it was answered. */
  depth: number;
  /** The most requests in flight at once. */
  peakInFlight: number;
}

/**
 * Counts a client's round trips by cause, not by clock: a request is one
 * deeper than the deepest answered before it arrived, so requests sent side
 * by side share a depth, and a request that waited for another's answer is
 * one deeper. With latency in front of every answer, "side by side" is
 * unambiguous; tests read the shape instead of timing the client.
 */
export class RoundTrips {
  private answeredDepth = 0;
  private inFlight = 0;
  private shape: RoundTripShape = { depth: 0, peakInFlight: 0 };

  /** A request arrived; call the returned function once it is answered. */
  arrived(): () => void {
    const depth = this.answeredDepth + 1;
    this.inFlight++;
    this.shape = { depth: Math.max(this.shape.depth, depth), peakInFlight: Math.max(this.shape.peakInFlight, this.inFlight) };
    return () => {
      this.inFlight--;
      this.answeredDepth = Math.max(this.answeredDepth, depth);
    };
  }

  /** Start counting afresh (what came before, a test's setup, does not count). */
  reset(): void {
    this.answeredDepth = 0;
    this.shape = { depth: 0, peakInFlight: this.inFlight };
  }

  get(): RoundTripShape {
    return { ...this.shape };
  }
}
