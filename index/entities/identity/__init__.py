"""The rules that group a corpus's spellings into identities, a few rules a module;
`index.entities.aliases` runs them (`resolve`) and says which rule is where."""
