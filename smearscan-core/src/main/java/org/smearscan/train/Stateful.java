package org.smearscan.train;

/**
 * A callback whose state outlives one epoch (a best value, a wait count, a log). Checkpoints save it and a
 * resumed run loads it; the learning-rate finder saves it before its sweep and loads it after. Both treat
 * every such callback alike, so a new one needs no wiring.
 */
public interface Stateful {
    /** Names this state in a checkpoint; unique among one learner's callbacks, and stable across versions. */
    String stateKey();

    byte[] saveState();

    /** Puts back what {@link #saveState()} returned. */
    void loadState(byte[] state);
}
