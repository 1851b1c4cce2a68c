fn main() -> std::process::ExitCode {
    tickwire::cli::main()
}
