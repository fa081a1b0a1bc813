package org.vheap.device.vm.loader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostLibraryTest {

    @Test
    void onlyTheLibraryTheVmFollowsIsRunAndAnyOtherIsRefusedSayingWhatToDo() {
        assertThat(HostLibrary.refusal(17)).isNull();
        assertThat(HostLibrary.refusal(Runtime.version().feature())).as("the JDK the tests run on").isNull();
        assertThat(HostLibrary.refusal(25)).isEqualTo("the device VM runs the host JDK's own class library, which must"
                + " be JDK 17's; this is JDK 25: start the device with a JDK 17 (JAVA=/path/to/jdk-17/bin/java"
                + " ./vheap device ...)");
        assertThat(HostLibrary.refusal(21)).contains("this is JDK 21");
    }
}
