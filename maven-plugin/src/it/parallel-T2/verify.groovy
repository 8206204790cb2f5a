// Built with -T 2: both modules generate and compile, and Maven does not warn that the plugin is not
// thread-safe (it is declared threadSafe: it keeps no state outside one project's folders).
['left', 'right'].each { side ->
  ['AModel', 'BModel'].each { name ->
    assert new File(basedir, "$side/target/generated-sources/nnc/$side/${name}.java").isFile()
    assert new File(basedir, "$side/target/classes/$side/${name}.class").isFile()
  }
}
def log = new File(basedir, 'build.log').text
assert log.contains('MultiThreadedBuilder') || log =~ /with a thread count of 2/ : 'not a parallel build'
assert !log.contains('threadSafe') : 'Maven warned about thread safety'
return true
