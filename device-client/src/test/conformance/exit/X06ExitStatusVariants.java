// @exit 255
// Exit status truncation: System.exit(-1) is 255 on Linux; Runtime.halt is not used. Output before the exit is kept.
public class X06ExitStatusVariants {
    public static void main(String[] args) {
        System.out.println("exiting with -1");
        System.err.println("stderr before exit");
        Runtime.getRuntime().exit(-1);
    }
}
