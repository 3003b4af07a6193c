package org.smearscan.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.data.CellImage;

class RecipeTest {
    /** The mapper that reads a run's config.json. */
    private static final ObjectMapper JSON = TrainingRun.JSON;

    @Test
    void aRecipeWrittenBeforeItsNewerFieldsExistedReadsAsItRan() throws Exception {
        ObjectNode written = JSON.valueToTree(Recipe.DEFAULT);
        written.remove("positiveRepeats");
        written.remove("lighting");
        written.remove("stain");
        written.remove("mixup");
        written.remove("preciseBn");

        Recipe read = JSON.treeToValue(written, Recipe.class);

        // every newer field off, as such a run trained (precise BatchNorm is on by default only since it exists)
        assertThat(read).isEqualTo(Recipe.DEFAULT.toBuilder().preciseBn(0).build());
        assertThat(Recipe.DEFAULT.preciseBn()).isEqualTo(32);
        assertThat(read.positiveRepeats()).isEqualTo(1);
        assertThat(read.lighting()).isZero();
        assertThat(read.stain()).isZero();
        assertThat(read.mixup()).isZero();
        assertThat(read.preciseBn()).isZero();
    }

    @Test
    void toBuilderKeepsEveryValue() {
        Recipe changed = Recipe.DEFAULT.toBuilder().lighting(0.2).stain(0.1).mixup(0.4).preciseBn(8).positiveRepeats(5).epochs(3).build();

        assertThat(changed.toBuilder().build()).isEqualTo(changed);
    }

    @Test
    void lightingAndRepeatsAreChecked() {
        assertThat(Recipe.DEFAULT.toBuilder().lighting(0.2).positiveRepeats(12).build().lighting()).isEqualTo(0.2);
        assertThatThrownBy(() -> Recipe.DEFAULT.toBuilder().lighting(0.6).build()).hasMessageContaining("lighting");
        assertThatThrownBy(() -> Recipe.DEFAULT.toBuilder().stain(0.4).build()).hasMessageContaining("stain");
        assertThatThrownBy(() -> Recipe.DEFAULT.toBuilder().mixup(-0.1).build()).hasMessageContaining("mixup");
        assertThatThrownBy(() -> Recipe.DEFAULT.toBuilder().preciseBn(-1).build()).hasMessageContaining("BatchNorm");
        assertThatThrownBy(() -> Recipe.DEFAULT.toBuilder().positiveRepeats(-1).build()).hasMessageContaining("repeats");
    }

    @Test
    void positiveImagesAreRepeatedInTheTrainingList() {
        CellImage sick = new CellImage(java.nio.file.Path.of("a.png"), 0, "P1");
        CellImage well = new CellImage(java.nio.file.Path.of("b.png"), 1, "C1");

        assertThat(TrainingRun.withRepeats(List.of(sick, well), 0, 3)).containsExactly(sick, well, sick, sick);
        assertThat(TrainingRun.withRepeats(List.of(sick, well), 0, 1)).containsExactly(sick, well);
    }
}
