// SPDX-License-Identifier: MIT
int main()
{
    // -Wall turns this into a warning; -Werror into an error.
    int unused = 42;
    return 0;
}
