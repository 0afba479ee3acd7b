import Foundation
import LsmCLI

@main
struct Entrypoint {
    static func main() async {
        exit(await CommandLineTool.run(Array(CommandLine.arguments.dropFirst())))
    }
}
