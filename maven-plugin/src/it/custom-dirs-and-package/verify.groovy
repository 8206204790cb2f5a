// Models from models/nets/** (not drafts, not the draft-*.nn file, not the .txt) go to target/nn-java
// in package org.acme.nets, whatever their folder; that folder is a compile source root.
def out = new File(basedir, 'target/nn-java/org/acme/nets')
assert new File(out, 'IrisModel.java').isFile()
assert new File(out, 'WineModel.java').isFile() : 'packageName puts nested models in the same package'
assert new File(out, 'WineModel.java').text.contains('package org.acme.nets;')
assert out.list().length == 2 : "unexpected files: ${out.list()}"
assert !new File(basedir, 'target/generated-sources/nnc').exists() : 'the default output folder is not used'
assert new File(basedir, 'target/classes/org/acme/app/Use.class').isFile()
assert new File(basedir, 'target/classes/org/acme/nets/WineModel.class').isFile()
return true
