from par_score.cli import main

main()
