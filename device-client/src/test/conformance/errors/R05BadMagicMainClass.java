// A main class whose class file has a bad magic number: the launcher reports the ClassFormatError as a
// LinkageError while loading the main class (exit 1); the program never runs.
// @patch-class R05BadMagicMainClass 0 CAFEBABF
// @exit 1
public class R05BadMagicMainClass {
    public static void main(String[] args) {
        System.out.println("never printed");
    }
}
