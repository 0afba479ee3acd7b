import ArgumentParser
import LsmCore

extension ColorMode: ExpressibleByArgument {}
