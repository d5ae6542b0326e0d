// Removed once models/kube has its first source file.
