// Classes the program loads whose class files are broken: a bad magic number, a truncated file, an unknown
// constant pool tag, met through Class.forName and through new, each a ClassFormatError thrown by the app class
// loader (its frames, with ClassLoader.defineClass1, head the stack trace); the last one is uncaught and ends main
// (exit 1).
// @patch-class BadMagic 0 58585858
// @patch-class BadMagicToo 0 CAFEBABF
// @truncate-class Truncated 100
// @truncate-class TruncatedToo 9
// @patch-class UnknownTag 10 02
// @exit 1
public class R07CorruptClassFiles {
    public static void main(String[] args) throws Exception {
        try {
            Class.forName("BadMagic");
        } catch (ClassFormatError e) {
            e.printStackTrace(System.out);
        }
        try {
            new Truncated();
        } catch (ClassFormatError e) {
            e.printStackTrace(System.out);
        }
        try {
            Class.forName("TruncatedToo");
        } catch (LinkageError e) {
            System.out.println(e);
        }
        try {
            new UnknownTag();
        } catch (ClassFormatError e) {
            System.out.println(e);
        }
        System.out.println("a class that only names a broken one still loads: " + new Holder().getClass().getName());
        new BadMagicToo();
    }
}

class BadMagic {
}

class BadMagicToo {
}

class Truncated {
    int x;

    int twice() {
        return 2 * x;
    }
}

class TruncatedToo {
}

class UnknownTag {
}

class Holder {
    BadMagic notLoadedYet;
}
