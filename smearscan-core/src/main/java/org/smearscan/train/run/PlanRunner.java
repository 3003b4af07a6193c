package org.smearscan.train.run;

import static org.smearscan.io.RunFolder.BEST_WEIGHTS;
import static org.smearscan.io.RunFolder.CHECKPOINT;
import static org.smearscan.io.RunFolder.LOSS_PLOT;
import static org.smearscan.io.RunFolder.SCHEDULE_PLOT;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.smearscan.train.Callback;
import org.smearscan.train.Learner;
import org.smearscan.train.Metric;
import org.smearscan.train.callback.Checkpoint;
import org.smearscan.train.callback.Checkpointer;
import org.smearscan.train.callback.EarlyStopping;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.History;
import org.smearscan.train.callback.MetricTracker;
import org.smearscan.train.callback.ProgressDisplay;
import org.smearscan.train.callback.SaveBestModel;
import org.smearscan.train.schedule.TrainingSchedule;

/**
 * Runs a plan of phases on a learner with the callbacks that make a run keep its best model, stop early,
 * record its history and survive being killed: after every epoch a checkpoint is saved, and
 * {@code resume} continues from it to the same result an uninterrupted run gives.
 *
 * <p>Files in the run folder: {@code checkpoint.zip}, {@code best-weights.bin}, {@code history.csv},
 * {@code history.json}, {@code loss.png}, {@code schedule.png}.
 */
public final class PlanRunner {
    /**
     * @param monitor  the metric that picks the best epoch
     * @param patience epochs without improvement before a phase stops; 0 turns early stopping off
     * @param progress how progress is shown
     * @param out      where progress goes
     */
    public record Options(Metric monitor, int patience, ProgressDisplay.Mode progress, PrintStream out) {}

    /**
     * What the run achieved.
     *
     * @param history   every epoch
     * @param best      the best monitored value
     * @param bestEpoch its 1-based epoch
     */
    public record Result(List<EpochRecord> history, double best, int bestEpoch) {}

    private PlanRunner() {}

    /**
     * Runs {@code plan}, or the rest of it when {@code resume} is set and the run folder holds a checkpoint.
     * The learner ends holding the best weights.
     */
    public static Result run(Learner learner, List<Phase> plan, Path runDir, Options options, boolean resume)
            throws IOException {
        Files.createDirectories(runDir);
        MetricTracker tracker = new MetricTracker(options.monitor());
        SaveBestModel best = new SaveBestModel(tracker, runDir.resolve(BEST_WEIGHTS));
        EarlyStopping stopping = options.patience() > 0 ? new EarlyStopping(tracker, options.patience()) : null;
        History history = new History(runDir);
        Checkpointer checkpointer = new Checkpointer(runDir.resolve(CHECKPOINT));
        ProgressDisplay progress = new ProgressDisplay(options.progress(), options.out());
        List<Callback> installed = new java.util.ArrayList<>(List.of(tracker, best, history, checkpointer, progress));
        if (stopping != null) {
            installed.add(stopping);
        }
        installed.forEach(learner::addCallback);
        try {
            int startPhase = 0;
            int startEpoch = 0;
            if (resume) {
                Checkpoint checkpoint = Checkpoint.read(runDir.resolve(CHECKPOINT));
                Checkpoint.State state = checkpoint.state();
                if (state.phase() >= plan.size()) {
                    throw new IOException(runDir + ": the checkpoint is in phase " + (state.phase() + 1)
                            + " but the plan has " + plan.size());
                }
                if (state.seed() != learner.seed()) {
                    throw new IOException(runDir + ": the checkpoint was made with seed " + state.seed()
                            + ", this learner has " + learner.seed());
                }
                learner.loadWeights(checkpoint.weights());
                learner.loadOptimizerState(checkpoint.optimizer());
                learner.setEpoch(state.epochsDone());
                learner.loadCallbackStates(checkpoint.callbacks());
                startPhase = state.phase();
                startEpoch = state.phaseFinished() ? plan.get(startPhase).epochs() : state.phaseEpochsDone();
            }
            for (int i = startPhase; i < plan.size(); i++) {
                Phase phase = plan.get(i);
                if (phase.freezeBody()) {
                    learner.freeze();
                } else {
                    learner.unfreeze();
                }
                history.setPhase(phase.name());
                checkpointer.setPhase(i);
                TrainingSchedule schedule = TrainingSchedule.oneCycle(
                        phase.lrs().spread(learner.layerGroups().size()), phase.policy());
                learner.fit(phase.epochs(), schedule, i == startPhase ? startEpoch : 0);
            }
            TrainingCharts.lossCurve(runDir.resolve(LOSS_PLOT), learner.recorder().smoothLosses(), history.records(),
                    learner.trainData().batchesPerEpoch());
            TrainingCharts.schedule(runDir.resolve(SCHEDULE_PLOT), learner.recorder().learningRates(),
                    learner.recorder().momentums(), learner.trainData().batchesPerEpoch());
            return new Result(history.records(), tracker.best(), tracker.bestEpoch() + 1);
        } finally {
            installed.forEach(learner::removeCallback);
        }
    }
}
