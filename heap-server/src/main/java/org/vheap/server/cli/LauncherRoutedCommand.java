package org.vheap.server.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;

/**
 * A command listed in this CLI's help but run by the {@code ./vheap} launcher in another module (the device
 * and gateway modules' commands). Reached only when this CLI is run without the launcher: it says how to run it.
 */
abstract class LauncherRoutedCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    private final String howToRun;

    LauncherRoutedCommand(String howToRun) {
        this.howToRun = howToRun;
    }

    @Override
    public Integer call() {
        throw new IllegalArgumentException("this command runs through the launcher: " + howToRun);
    }
}
