// SPDX-License-Identifier: MIT
// Hosts the precompiled header every test reuses (see rollscope_add_test): Qt's headers parsed
// once instead of in each of the ~80 test executables. Never run.
int main()
{
    return 0;
}
