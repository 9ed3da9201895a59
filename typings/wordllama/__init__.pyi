# wordllama ships no types. sourcetrace only reads the files inside the
# installed package (weights, tokenizer) through the module's own __file__,
# which every module has; it calls none of wordllama's API.
