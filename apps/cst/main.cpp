#include <iostream>
int main() { std::cout << "cst " << CST_VERSION << "\n"; }
