package org.vheap.device.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vheap.device.vm.interp.CallSites;

class VmLauncherTest {
    private static final CallSites.Synthesizer NO_INDY = (caller, index, indy) -> {
        throw new JavaError("java/lang/BootstrapMethodError", "no synthesizer in this test");
    };

    @Test
    void helloWorld() throws Exception {
        Path classes = TestVms.compile(Map.of("Hello.java", """
                public class Hello {
                    public static void main(String[] args) {
                        System.out.println("Hello, device");
                        int sum = 0;
                        for (int i = 1; i <= 100; i++) {
                            sum += i;
                        }
                        System.out.println(sum);
                    }
                }
                """));
        TestVms.Outcome o = TestVms.run(classes, "Hello", NO_INDY);
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).isEqualTo("Hello, device\n5050\n");
        assertThat(o.exit()).isZero();
    }
}
