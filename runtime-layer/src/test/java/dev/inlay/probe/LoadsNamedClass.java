package dev.inlay.probe;

/** Loads and initializes the class each argument names (from the class path), then exits. */
public final class LoadsNamedClass {
    private LoadsNamedClass() {}

    public static void main(String[] args) throws Exception {
        for (String name : args) {
            Class<?> c = Class.forName(name);
            System.out.println("PROBE loaded " + c.getName());
        }
    }
}
