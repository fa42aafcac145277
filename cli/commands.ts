// Registers the commands beyond `check` (each in its own module).
export {};
