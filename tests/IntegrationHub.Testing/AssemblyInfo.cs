using System.Runtime.Versioning;

// Private nodes are started from Debian packages: Linux only.
[assembly: SupportedOSPlatform("linux")]
